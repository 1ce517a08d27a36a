/**
 * The scheduler's FailedScheduling message, read back into causes. Its form (kube-scheduler 1.24+,
 * pkg/scheduler/framework: the Diagnosis' NodeToStatusMap summed by reason):
 *   `0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}.
 *    preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`
 * Only the first sentence says why (later ones are preemption's and other plugins' notes); each
 * reason carries the number of nodes it ruled out. Since 1.30 an untolerated taint is no longer
 * printed (`had untolerated taint(s)`): the detector finds it on the nodes.
 * See https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/.
 */
export type SchedulingCause =
  | 'insufficient-resources'
  | 'untolerated-taint'
  | 'node-affinity'
  | 'pod-affinity'
  | 'pod-anti-affinity'
  | 'topology-spread'
  | 'unschedulable-nodes'
  | 'volume'
  | 'no-nodes'
  | 'other';

export interface SchedulerReason {
  /** Nodes this reason ruled out (0 when the message gives no count). */
  nodes: number;
  text: string;
  cause: SchedulingCause;
  /** Insufficient cpu → ['cpu']; an untolerated taint → its key and value as written. */
  detail?: string;
}

const RULES: readonly [RegExp, SchedulingCause][] = [
  [/^Insufficient (.+)$/, 'insufficient-resources'],
  [/^Too many pods$/, 'insufficient-resources'],
  [
    /had untolerated taint(?:s|\(s\))?(?: \{(.+)\})?$|had taint \{(.+)\}, that the pod didn't tolerate/,
    'untolerated-taint',
  ],
  [/didn't match Pod's node affinity\/selector/, 'node-affinity'],
  [
    /didn't match pod anti-affinity rules|didn't satisfy existing pods anti-affinity rules/,
    'pod-anti-affinity',
  ],
  [/didn't match pod affinity rules/, 'pod-affinity'],
  [/didn't match pod topology spread constraints/, 'topology-spread'],
  [/were unschedulable/, 'unschedulable-nodes'],
  [
    /volume node affinity conflict|unbound immediate PersistentVolumeClaims|persistentvolumeclaim .* not found|didn't find available persistent volumes/,
    'volume',
  ],
];

function classify(text: string): Pick<SchedulerReason, 'cause' | 'detail'> {
  for (const [pattern, cause] of RULES) {
    const m = pattern.exec(text);
    if (!m) continue;
    const detail = m[1] ?? m[2];
    return detail ? { cause, detail } : { cause };
  }
  return { cause: 'other' };
}

/** The reasons of a FailedScheduling message, most nodes first; [] when it is not in that form. */
export function schedulerReasons(message: string | undefined): SchedulerReason[] {
  if (!message) return [];
  if (/^no nodes available to schedule pods/i.test(message))
    return [{ nodes: 0, text: 'no nodes available', cause: 'no-nodes' }];
  // The first sentence: later ones are other plugins' notes (DRA claims, preemption).
  const m = /nodes are available: (.*?)(?:\.\s|\.?$)/s.exec(message);
  if (!m) return [];
  return m[1]
    .split(/,\s+(?=\d+ )/)
    .map((part) => {
      const counted = /^(\d+) (.*)$/s.exec(part.trim());
      const text = (counted ? counted[2] : part).trim().replace(/\.$/, '');
      return { nodes: counted ? Number(counted[1]) : 0, text, ...classify(text) };
    })
    .sort((a, b) => b.nodes - a.nodes);
}

/** `{key: value}` or `{key}` of a taint as the scheduler prints it → key and value. */
export function taintOf(detail: string): { key: string; value?: string } {
  const colon = detail.indexOf(':');
  if (colon < 0) return { key: detail.trim() };
  return { key: detail.slice(0, colon).trim(), value: detail.slice(colon + 1).trim() || undefined };
}
