import type { NodeTaint } from '../../cluster-state/records/node';
import type { PodRecord } from '../../cluster-state/records/pod';
import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

/** Taints the control plane manages (lifecycle, cordon, cloud init): every pod handles them. */
const MANAGED = ['node.kubernetes.io/', 'node.cloudprovider.kubernetes.io/'];

const blocking = (t: NodeTaint): boolean =>
  (t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
  !MANAGED.some((prefix) => t.key.startsWith(prefix));

/** Every toleration of the cluster's pods; pods of one template share their (interned) list. */
function tolerationsOf(pods: readonly PodRecord[]): Set<string> {
  const seen = new Set<readonly string[]>();
  const all = new Set<string>();
  for (let i = 0; i < pods.length; i++) {
    const list = pods[i].refs?.tolerations;
    if (!list || seen.has(list)) continue;
    seen.add(list);
    for (const t of list) all.add(t);
  }
  return all;
}

const tolerated = (t: NodeTaint, all: Set<string>): boolean =>
  all.has('*') || all.has(t.key) || all.has(`${t.key}=${t.value ?? ''}`);

/**
 * A NoSchedule or NoExecute taint that no pod of the cluster tolerates: the node runs DaemonSets
 * at most, capacity paid for and unused (Popeye's node taint check). Walks the pods only when some
 * node carries such a taint, so an untainted cluster pays nothing. Effects are not told apart: a
 * pod tolerating the key at all counts.
 */
export function nodeTaints(input: DetectorInput): RawFinding[] {
  const nodes = input.list('nodes').filter((n) => n.taints.some(blocking));
  if (!nodes.length) return [];
  const all = tolerationsOf(input.list('pods'));
  const findings: RawFinding[] = [];
  for (const n of nodes) {
    const untolerated = n.taints.filter((t) => blocking(t) && !tolerated(t, all));
    if (!untolerated.length) continue;
    const text = untolerated.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
    findings.push({
      code: 'NODE_TAINT_UNTOLERATED',
      severity: 'info',
      object: { group: '', kind: 'Node', namespace: '', name: n.name },
      message: `No pod of the cluster tolerates the taint${text.length > 1 ? 's' : ''} ${text.join(', ')}: nothing but pods that tolerate every taint can run on the node.`,
      fields: { 'spec.taints': text },
      suggestion:
        'Remove the taint if the node should take ordinary pods (kubectl taint nodes <node> <key>-), or add the toleration to the workloads meant for it.',
    });
  }
  return findings;
}
