import type { EvaluatedFinding, ObjectRef } from '../cluster-state/finding';
import { findingId } from '../cluster-state/finding-id';
import { ownerChain, podRef, workloadOf } from '../diagnostics/owners';
import type { DiagnosedSnapshot } from '../monitor/cluster-snapshot';
import type { BehaviourHit, HitTarget } from './behaviour-rules';

const SUGGESTIONS: Record<string, string> = {
  BEHAVIOUR_ERROR_RATE:
    "Read the workload's logs and its callees' health: its pods are up but answer errors.",
  BEHAVIOUR_LATENCY_REGRESSION:
    'Compare with the last rollout or config change, and check its callees and CPU throttling.',
  BEHAVIOUR_TRAFFIC_DROP:
    'Check its callers, the routes (VirtualService, Gateway, Ingress) and DNS: requests stopped reaching ready pods.',
  BEHAVIOUR_CPU_THROTTLING:
    'Raise the CPU limit (or remove it and keep the request), or spread the load over more replicas.',
  BEHAVIOUR_MEMORY_NEAR_LIMIT:
    'Raise the memory limit or find what grows (a leak, a cache without bound) before the OOM kill.',
  FORECAST_MEMORY_LIMIT:
    'Find what grows (a leak, a cache without bound) or raise the memory limit before the OOM kill.',
  FORECAST_PVC_FULL: 'Expand the claim (if its StorageClass allows it) or delete old data.',
};

const APPS = 'apps';
const WORKLOAD_KINDS = [
  ['deployments', 'Deployment'],
  ['statefulsets', 'StatefulSet'],
  ['daemonsets', 'DaemonSet'],
] as const;

/** The workload Istio names (a Deployment, StatefulSet or DaemonSet of that name, when cached). */
function workloadRef(snapshot: DiagnosedSnapshot, namespace: string, name: string): ObjectRef {
  for (const [kind, label] of WORKLOAD_KINDS)
    if (snapshot.get(kind, name, namespace)) return { group: APPS, kind: label, namespace, name };
  return { group: '', kind: 'Workload', namespace, name };
}

/** The object a person acts on for a hit: the workload, a container's workload, or the claim. */
export function objectOfHit(snapshot: DiagnosedSnapshot, target: HitTarget): ObjectRef {
  if (target.type === 'workload') return workloadRef(snapshot, target.namespace, target.name);
  if (target.type === 'pvc')
    return {
      group: '',
      kind: 'PersistentVolumeClaim',
      namespace: target.namespace,
      name: target.name,
    };
  const ref = podRef(target.namespace, target.pod);
  const pod = snapshot.get('pods', target.pod, target.namespace);
  return workloadOf(ownerChain(snapshot, pod, ref), ref);
}

/** True when a pod of the workload Istio calls `name` is ready in the live cache. */
export function hasReadyPods(
  snapshot: DiagnosedSnapshot,
  namespace: string,
  name: string,
): boolean {
  return snapshot.list('pods', namespace).some((pod) => {
    if (!pod.ready) return false;
    const ref = podRef(namespace, pod.name);
    return workloadOf(ownerChain(snapshot, pod, ref), ref).name === name;
  });
}

const percentOf = (hit: BehaviourHit) => Number(hit.fields.percent ?? 0);

/**
 * Hits as findings: one per code and object, so the containers of one workload past the line are
 * one finding (count = containers, the worst one's numbers as evidence, up to five named).
 */
export function behaviourFindings(
  clusterId: string,
  snapshot: DiagnosedSnapshot,
  hits: readonly BehaviourHit[],
): EvaluatedFinding[] {
  const groups = new Map<string, { object: ObjectRef; hits: BehaviourHit[] }>();
  for (const hit of hits) {
    const object = objectOfHit(snapshot, hit.target);
    const id = findingId(clusterId, hit.code, object);
    const group = groups.get(id) ?? { object, hits: [] };
    group.hits.push(hit);
    groups.set(id, group);
  }
  return [...groups].map(([id, { object, hits: list }]) => {
    const worst = [...list].sort((a, b) => percentOf(b) - percentOf(a))[0];
    const objects = list
      .filter((h) => h.target.type === 'container')
      .map((h) => (h.target.type === 'container' ? `${h.target.pod}/${h.target.container}` : ''));
    return {
      id,
      clusterId,
      code: worst.code,
      severity: worst.severity,
      source: worst.code.startsWith('FORECAST_') ? ('forecast' as const) : ('telemetry' as const),
      object,
      message: worst.message,
      evidence: {
        fields: worst.fields,
        ...(objects.length ? { objects: objects.slice(0, 5) } : {}),
        events: [],
      },
      suggestion: SUGGESTIONS[worst.code] ?? 'Look at what changed.',
      count: list.length,
    };
  });
}
