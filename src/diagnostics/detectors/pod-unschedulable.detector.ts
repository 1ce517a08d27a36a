import type { NodeRecord } from '../../cluster-state/records/node';
import type { PodRecord } from '../../cluster-state/records/pod';
import { nanosToNumber } from '../../cluster-state/quantity';
import { podRef, RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';
import { formatQuantityNanos } from './quantities';
import { SchedulerReason, schedulerReasons, taintOf } from './scheduler-reasons';

/** Nodes named as the cause, at most. */
const MAX_NAMED = 5;

interface NodeFacts {
  largest: { cpu?: NodeRecord; memory?: NodeRecord };
  /** Taint `key` and `key=value` → the nodes carrying it. */
  taints: Map<string, string[]>;
  cordoned: string[];
}

/**
 * Per evaluation, not per Pending pod: the snapshot input lists each kind once, so the nodes list
 * is the same array for every pod of one evaluation (100k Pending pods must not walk 3k nodes each).
 */
const factsByList = new WeakMap<readonly NodeRecord[], NodeFacts>();

function nodeFacts(nodes: readonly NodeRecord[]): NodeFacts {
  let facts = factsByList.get(nodes);
  if (facts) return facts;
  facts = { largest: {}, taints: new Map(), cordoned: [] };
  for (const n of nodes) {
    for (const r of ['cpu', 'memory'] as const) {
      const top = facts.largest[r];
      if (!top || top.allocatable[r] < n.allocatable[r]) facts.largest[r] = n;
    }
    if (n.unschedulable) facts.cordoned.push(n.name);
    for (const t of n.taints)
      for (const key of [t.key, `${t.key}=${t.value ?? ''}`]) {
        const list = facts.taints.get(key) ?? [];
        if (!list.includes(n.name)) list.push(n.name);
        facts.taints.set(key, list);
      }
  }
  factsByList.set(nodes, facts);
  return facts;
}

interface Cause {
  cause: string;
  text: string;
  suggestion: string;
  nodes?: string[];
}

const quantity = (r: 'cpu' | 'memory', nanos: bigint): string =>
  r === 'cpu' ? `${nanosToNumber(nanos)} CPU` : formatQuantityNanos(nanos);

function resourceCause(pod: PodRecord, reason: SchedulerReason, facts: NodeFacts): Cause {
  const r = reason.detail === 'cpu' || reason.detail === 'memory' ? reason.detail : undefined;
  const top = r && facts.largest[r];
  if (r && top && pod.requests[r] > top.allocatable[r])
    return {
      cause: 'request-larger-than-any-node',
      text: `it requests ${quantity(r, pod.requests[r])} of ${r}, more than any node can offer (the largest, ${top.name}, has ${quantity(r, top.allocatable[r])} allocatable)`,
      suggestion: `Lower the ${r} request of the pod template below ${quantity(r, top.allocatable[r])}, or add a node pool with larger nodes.`,
      nodes: [top.name],
    };
  return {
    cause: 'cluster-full',
    text: `${reason.nodes} node(s) lack the free ${reason.detail ?? 'capacity'} it requests`,
    suggestion:
      'Add nodes (or let the cluster autoscaler add them), lower the requests of the pod template, or free capacity by scaling down other workloads.',
  };
}

function taintCause(reason: SchedulerReason, facts: NodeFacts): Cause {
  const { key, value } = taintOf(reason.detail ?? '');
  const nodes = facts.taints.get(value === undefined ? key : `${key}=${value}`) ?? [];
  const taint = value === undefined ? key : `${key}=${value}`;
  return {
    cause: 'untolerated-taint',
    text: `${reason.nodes} node(s) carry the taint ${taint}, which the pod does not tolerate${nodes.length ? ` (${nodes.slice(0, MAX_NAMED).join(', ')})` : ''}`,
    suggestion: `Add a toleration for ${taint} to the pod template if it may run there, or remove the taint from the nodes (kubectl taint nodes <node> ${key}-).`,
    nodes,
  };
}

const TEMPLATE_CAUSES: Record<string, [string, string]> = {
  'node-affinity': [
    'its nodeSelector or required node affinity matches no schedulable node',
    'Correct the nodeSelector / nodeAffinity of the pod template (a label no node has is the usual cause), or label a node to match.',
  ],
  'pod-affinity': [
    'its required pod affinity finds no node running the pods it must run next to',
    'Check that the pods named by the podAffinity selector run (and in which namespaces), or relax it to preferredDuringScheduling.',
  ],
  'pod-anti-affinity': [
    'its required pod anti-affinity leaves no node free of the pods it must avoid',
    'Relax the podAntiAffinity (preferred instead of required, or a wider topologyKey) or add nodes: more replicas than nodes cannot each have their own.',
  ],
  'topology-spread': [
    'its topology spread constraints cannot be met (whenUnsatisfiable: DoNotSchedule)',
    'Check the topologyKey exists on the nodes and maxSkew fits the domains; use whenUnsatisfiable: ScheduleAnyway if spreading is a preference.',
  ],
  volume: [
    'its volumes cannot be bound or attached on any node',
    'Look at the pod\u2019s PersistentVolumeClaims: Pending, missing, or bound to a volume in another zone.',
  ],
};

/** The precise cause behind the reason that ruled out most nodes. */
function causeOf(
  pod: PodRecord,
  reasons: SchedulerReason[],
  input: DetectorInput,
): Cause | undefined {
  const main = reasons[0];
  if (!main) return undefined;
  const facts = input.caches('nodes') ? nodeFacts(input.list('nodes')) : undefined;
  if (main.cause === 'insufficient-resources' && facts) return resourceCause(pod, main, facts);
  if (main.cause === 'untolerated-taint' && facts) return taintCause(main, facts);
  if (main.cause === 'unschedulable-nodes')
    return {
      cause: 'cordoned-nodes',
      text: `${main.nodes} node(s) are cordoned`,
      suggestion:
        'Uncordon the nodes once their maintenance is over (kubectl uncordon), or add nodes.',
      nodes: facts?.cordoned,
    };
  const template = TEMPLATE_CAUSES[main.cause];
  if (template) return { cause: main.cause, text: template[0], suggestion: template[1] };
  return undefined;
}

/**
 * A Pending pod the scheduler could not place, with its reason turned into the cause a person
 * changes: a request larger than any node, a taint nobody tolerates (naming the nodes), an affinity
 * or spread constraint of the template that cannot be met.
 */
export function podUnschedulable(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const pod of input.list('pods')) {
    if (pod.phase !== 'Pending') continue;
    const scheduled = pod.conditions?.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status !== 'False' || scheduled.reason !== 'Unschedulable') continue;
    const reasons = schedulerReasons(scheduled.message);
    const cause = causeOf(pod, reasons, input);
    const nodes = cause?.nodes?.slice(0, MAX_NAMED);
    findings.push({
      code: 'POD_UNSCHEDULABLE',
      severity: 'critical',
      object: podRef(pod.namespace, pod.name),
      message: cause
        ? `The scheduler cannot place the pod: ${cause.text}.`
        : `The scheduler cannot place the pod: ${scheduled.message ?? 'no reason given'}.`,
      fields: {
        'status.phase': pod.phase,
        'status.conditions[type=PodScheduled].reason': scheduled.reason,
        'status.conditions[type=PodScheduled].message': scheduled.message,
        'status.conditions[type=PodScheduled].lastTransitionTime': scheduled.since,
        ...(cause ? { cause: cause.cause } : {}),
        ...(nodes?.length ? { causeObjects: nodes.map((n) => `Node ${n}`) } : {}),
      },
      suggestion:
        cause?.suggestion ??
        'Relax what the scheduler message names (nodeSelector, affinity, tolerations, requests larger than any node), or add a node that satisfies it.',
    });
  }
  return findings;
}
