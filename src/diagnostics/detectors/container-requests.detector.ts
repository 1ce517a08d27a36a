import { podRef, RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

/**
 * Running or pending containers that request neither CPU nor memory: the scheduler packs them
 * blindly and they are evicted first. Finished pods no longer reserve anything and are skipped.
 */
export function containerRequests(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const pod of input.list('pods')) {
    if (!pod.noRequests || pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    findings.push({
      code: 'CONTAINER_NO_REQUESTS',
      severity: 'info',
      object: podRef(pod.namespace, pod.name),
      message: `Containers ${pod.noRequests.join(', ')} request no CPU or memory.`,
      fields: { 'spec.containers[].resources.requests': 'absent', containers: pod.noRequests },
      suggestion:
        'Set resources.requests (cpu and memory) near the containers\u2019 usual use, so scheduling and eviction treat them fairly.',
    });
  }
  return findings;
}
