import type { NodeRecord } from '../../cluster-state/records/node';
import { RawFinding } from '../../cluster-state/finding';
import { ageSeconds, DetectorInput } from './detector';

/** A cordon for maintenance lasts minutes; one older than this was probably forgotten. */
export const CORDONED_SECONDS = 3600;

const PRESSURES = ['MemoryPressure', 'DiskPressure', 'PIDPressure'];

const ref = (n: NodeRecord) => ({ group: '', kind: 'Node', namespace: '', name: n.name });

function conditionFindings(n: NodeRecord): RawFinding[] {
  const findings: RawFinding[] = [];
  const ready = n.conditions.find((c) => c.type === 'Ready');
  if (!n.ready)
    findings.push({
      code: 'NODE_NOT_READY',
      severity: 'critical',
      object: ref(n),
      message: `The node is not ready (${ready?.reason ?? 'no Ready condition'}${ready?.message ? `: ${ready.message}` : ''}).`,
      fields: {
        'status.conditions[type=Ready].status': ready?.status ?? 'Unknown',
        'status.conditions[type=Ready].reason': ready?.reason,
        'status.conditions[type=Ready].lastTransitionTime': ready?.lastTransitionTime,
      },
      suggestion:
        'Check the kubelet and container runtime on the node (journalctl -u kubelet); its pods are rescheduled after the eviction timeout.',
    });
  for (const c of n.conditions.filter((c) => PRESSURES.includes(c.type) && c.status === 'True'))
    findings.push({
      code: 'NODE_PRESSURE',
      severity: 'warning',
      object: ref(n),
      message: `The node reports ${c.type}${c.message ? `: ${c.message}` : ''}; the kubelet evicts pods to recover.`,
      fields: {
        [`status.conditions[type=${c.type}].status`]: c.status,
        [`status.conditions[type=${c.type}].reason`]: c.reason,
        [`status.conditions[type=${c.type}].lastTransitionTime`]: c.lastTransitionTime,
      },
      suggestion:
        c.type === 'DiskPressure'
          ? 'Free disk on the node (unused images, logs, emptyDir volumes) or give it a larger disk.'
          : 'Move or limit the pods using most memory/PIDs on this node, or add capacity.',
    });
  return findings;
}

/** Nodes NotReady, under memory/disk/PID pressure, or cordoned for more than an hour. */
export function nodes(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const n of input.list('nodes')) {
    findings.push(...conditionFindings(n));
    if (!n.unschedulable) continue;
    const taint = n.taints.find((t) => t.key === 'node.kubernetes.io/unschedulable');
    if (ageSeconds(taint?.timeAdded, input.now) < CORDONED_SECONDS) continue;
    findings.push({
      code: 'NODE_CORDONED',
      severity: 'info',
      object: ref(n),
      message: `The node has been cordoned${taint?.timeAdded ? ` since ${taint.timeAdded}` : ''}: no new pod is scheduled on it.`,
      fields: { 'spec.unschedulable': true, 'taint.timeAdded': taint?.timeAdded },
      suggestion:
        'Uncordon it when the maintenance is over (kubectl uncordon), or remove it from the cluster.',
    });
  }
  return findings;
}
