import type { WorkloadRecord } from '../../cluster-state/records/workload';
import { ObjectRef, RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

/** The Priority admission plugin's refusal (plugin/pkg/admission/priority). */
const MISSING = /no PriorityClass with name (\S+) was found/;

/** Events older than this prove nothing about now: a controller retrying logs one every few minutes. */
const RECENT_SECONDS = 900;

function finding(object: ObjectRef, priorityClass: string, evidence: string): RawFinding {
  return {
    code: 'POD_MISSING_PRIORITY_CLASS',
    severity: 'critical',
    object,
    message: `No pod can be created: the template names PriorityClass ${priorityClass}, which does not exist, and admission refuses every pod.`,
    fields: {
      'spec.template.spec.priorityClassName': priorityClass,
      causeObjects: [`PriorityClass ${priorityClass}`],
      refusal: evidence,
    },
    suggestion: `Create PriorityClass ${priorityClass} (kubectl get priorityclasses lists those that exist), or correct priorityClassName in the pod template.`,
  };
}

/** Deployments (through their ReplicaSets' ReplicaFailure condition) whose pods are refused. */
function fromReplicaSets(input: DetectorInput): RawFinding[] {
  const found: RawFinding[] = [];
  for (const rs of input.list('replicasets')) {
    const failure = rs.conditions?.find((c) => c.type === 'ReplicaFailure');
    const m = failure?.message && MISSING.exec(failure.message);
    if (!m) continue;
    const owned = rs.owner?.kind === 'Deployment';
    const object = {
      group: 'apps',
      kind: owned ? 'Deployment' : 'ReplicaSet',
      namespace: rs.namespace,
      name: owned ? rs.owner!.name : rs.name,
    };
    found.push(finding(object, m[1], failure!.message!));
  }
  return found;
}

/** StatefulSets and DaemonSets short of pods whose controller's FailedCreate events say why. */
function fromEvents(input: DetectorInput): RawFinding[] {
  const found: RawFinding[] = [];
  const short = new Map<string, { kind: string; w: WorkloadRecord }>();
  for (const [list, kind] of [
    ['statefulsets', 'StatefulSet'],
    ['daemonsets', 'DaemonSet'],
  ] as const)
    for (const w of input.list(list))
      if (w.ready < w.desired) short.set(`${kind}/${w.namespace}/${w.name}`, { kind, w });
  if (!short.size) return found;
  const seen = new Set<string>();
  for (const e of input.list('warningevents')) {
    if (e.reason !== 'FailedCreate') continue;
    const key = `${e.object.kind}/${e.object.namespace}/${e.object.name}`;
    const target = short.get(key);
    const m = target && !seen.has(key) && MISSING.exec(e.message);
    if (!m || (input.now - Date.parse(e.last)) / 1000 > RECENT_SECONDS) continue;
    seen.add(key);
    const { kind, w } = target!;
    found.push(
      finding({ group: 'apps', kind, namespace: w.namespace, name: w.name }, m[1], e.message),
    );
  }
  return found;
}

/**
 * A pod template naming a PriorityClass that does not exist: admission refuses every pod, so no
 * pod ever shows the fault; the controller's refusal does, and names the class.
 */
export const priorityClasses = (input: DetectorInput): RawFinding[] => [
  ...fromReplicaSets(input),
  ...(input.caches('warningevents') ? fromEvents(input) : []),
];
