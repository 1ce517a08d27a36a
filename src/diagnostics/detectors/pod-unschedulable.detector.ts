import type { NodeRecord } from '../../cluster-state/records/node';
import type { PodRecord } from '../../cluster-state/records/pod';
import { nanosToNumber } from '../../cluster-state/quantity';
import { podRef, RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';
import { formatQuantityNanos } from './quantities';
import { SchedulerReason, schedulerReasons } from './scheduler-reasons';

/** Nodes named as the cause, at most. */
const MAX_NAMED = 5;

interface NodeFacts {
  largest: { cpu?: NodeRecord; memory?: NodeRecord };
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
  facts = { largest: {}, cordoned: [] };
  for (const n of nodes) {
    for (const r of ['cpu', 'memory'] as const) {
      const top = facts.largest[r];
      if (!top || top.allocatable[r] < n.allocatable[r]) facts.largest[r] = n;
    }
    if (n.unschedulable) facts.cordoned.push(n.name);
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

const selects = (selector: Record<string, string> | undefined, n: NodeRecord): boolean =>
  !selector || Object.entries(selector).every(([k, v]) => n.labels[k] === v);

/** The taints of a node that block a pod with these tolerations (lifecycle taints aside). */
function blockingTaints(n: NodeRecord, tolerations: readonly string[]): string[] {
  if (tolerations.includes('*')) return [];
  return n.taints
    .filter(
      (t) =>
        (t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
        !t.key.startsWith('node.kubernetes.io/') &&
        !tolerations.includes(t.key) &&
        !tolerations.includes(`${t.key}=${t.value ?? ''}`),
    )
    .map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
}

/**
 * The nodes the pod selects whose taints it does not tolerate. The scheduler no longer prints the
 * taint (1.30+), so it is found on the nodes: those the pod's nodeSelector picks (all without one).
 */
function taintCause(pod: PodRecord, reason: SchedulerReason, input: DetectorInput): Cause {
  const tolerations = pod.refs?.tolerations ?? [];
  const blocked: { node: string; taints: string[] }[] = [];
  for (const n of input.list('nodes')) {
    if (!selects(pod.nodeSelector, n)) continue;
    const taints = blockingTaints(n, tolerations);
    if (taints.length) blocked.push({ node: n.name, taints });
  }
  const taints = [...new Set(blocked.flatMap((b) => b.taints))];
  const shown = taints.length ? taints.join(', ') : (reason.detail ?? 'a taint');
  return {
    cause: 'untolerated-taint',
    text: `${reason.nodes} node(s) carry taints the pod does not tolerate (${shown})${
      blocked.length
        ? ` on ${blocked
            .slice(0, MAX_NAMED)
            .map((b) => b.node)
            .join(', ')}`
        : ''
    }`,
    suggestion: `Add a toleration for ${shown} to the pod template if it may run there, or remove the taint from the nodes (kubectl taint nodes <node> <key>-).`,
    nodes: blocked.map((b) => b.node),
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
  const facts = input.caches('nodes') ? nodeFacts(input.list('nodes')) : undefined;
  const short = reasons.find((r) => r.cause === 'insufficient-resources');
  // A request no node could ever hold is the cause, whatever else rules the other nodes out.
  const oversized = short && facts && resourceCause(pod, short, facts);
  if (oversized?.cause === 'request-larger-than-any-node') return oversized;
  // A taint matters when the pod selects the tainted nodes; without a selector, a taint keeping it
  // off some nodes is how pools are meant to work, and the other reasons say what stops it.
  const taint = reasons.find((r) => r.cause === 'untolerated-taint');
  if (taint && facts && pod.nodeSelector) return taintCause(pod, taint, input);
  const main =
    reasons.find((r) => r.cause !== 'node-affinity' && r.cause !== 'untolerated-taint') ??
    taint ??
    reasons[0];
  if (!main) return undefined;
  if (main.cause === 'insufficient-resources' && facts) return resourceCause(pod, main, facts);
  if (main.cause === 'untolerated-taint' && facts) return taintCause(pod, main, input);
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
