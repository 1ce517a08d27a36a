import { formatQuantityNanos } from './quantities';
import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

/**
 * Nodes whose pods' limits add up to more memory than the node can allocate: under load, the
 * kernel OOM-kills. CPU limits beyond allocatable only throttle, so they are not reported.
 */
export function nodeOvercommit(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const n of input.list('nodes')) {
    const used = input.allocation(n.name);
    if (!used || n.allocatable.memory === 0n || used.limits.memory <= n.allocatable.memory)
      continue;
    const percent = Number((used.limits.memory * 100n) / n.allocatable.memory);
    findings.push({
      code: 'NODE_LIMITS_OVERCOMMITTED',
      severity: 'info',
      object: { group: '', kind: 'Node', namespace: '', name: n.name },
      message: `Memory limits of its pods add up to ${percent}% of what the node can allocate.`,
      fields: {
        'status.allocatable.memory': formatQuantityNanos(n.allocatable.memory),
        'sum(pods.limits.memory)': formatQuantityNanos(used.limits.memory),
        pods: used.pods,
      },
      suggestion: 'Lower memory limits closer to real use, or spread these pods over more nodes.',
    });
  }
  return findings;
}
