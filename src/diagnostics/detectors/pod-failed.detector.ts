import { podRef, RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

/**
 * Evicted pods, and Failed pods not owned by a Job (a Job's pods fail as part of its retries; the
 * Job detector reports the Job when it gives up). Succeeded pods are never reported.
 */
export function podFailed(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const pod of input.list('pods')) {
    if (pod.phase !== 'Failed') continue;
    const evicted = pod.reason === 'Evicted';
    if (!evicted && pod.owner?.kind === 'Job') continue;
    findings.push({
      code: evicted ? 'POD_EVICTED' : 'POD_FAILED',
      severity: 'warning',
      object: podRef(pod.namespace, pod.name),
      message: evicted
        ? `The pod was evicted: ${pod.message ?? 'no message'}.`
        : `The pod failed${pod.reason ? ` (${pod.reason})` : ''}: ${pod.message ?? 'its containers exited with an error'}.`,
      fields: {
        'status.phase': pod.phase,
        'status.reason': pod.reason,
        'status.message': pod.message,
      },
      suggestion: evicted
        ? 'Give the pod requests that match its use (evictions pick pods using more than they request first) and delete the evicted pod.'
        : 'Read the pod log for the failing container, fix the cause, then delete the pod (nothing recreates a bare pod).',
    });
  }
  return findings;
}
