import { podRef, RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

/** A Pending pod the scheduler could not place, with the scheduler's own reason. */
export function podUnschedulable(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const pod of input.list('pods')) {
    if (pod.phase !== 'Pending') continue;
    const scheduled = pod.conditions?.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status !== 'False' || scheduled.reason !== 'Unschedulable') continue;
    findings.push({
      code: 'POD_UNSCHEDULABLE',
      severity: 'critical',
      object: podRef(pod.namespace, pod.name),
      message: `The scheduler cannot place the pod: ${scheduled.message ?? 'no reason given'}.`,
      fields: {
        'status.phase': pod.phase,
        'status.conditions[type=PodScheduled].reason': scheduled.reason,
        'status.conditions[type=PodScheduled].message': scheduled.message,
        'status.conditions[type=PodScheduled].lastTransitionTime': scheduled.since,
      },
      suggestion:
        'Relax what the scheduler message names (nodeSelector, affinity, tolerations, requests larger than any node), or add a node that satisfies it.',
    });
  }
  return findings;
}
