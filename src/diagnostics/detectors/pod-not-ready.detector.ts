import type { PodRecord } from '../../cluster-state/records/pod';
import { podRef, RawFinding } from '../../cluster-state/finding';
import { ageSeconds, DetectorInput } from './detector';

/** Readiness flaps during start-up and rollouts: only a pod not ready for this long is reported. */
export const NOT_READY_SECONDS = 300;

/** Container states that another detector already explains, more precisely. */
const EXPLAINED = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

const explained = (pod: PodRecord): boolean =>
  (pod.containers ?? []).some(
    (c) => (c.waiting && EXPLAINED.has(c.waiting)) || c.terminated === 'OOMKilled',
  );

/** A Running pod whose Ready condition has been False for more than five minutes. */
export function podNotReady(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const pod of input.list('pods')) {
    if (pod.phase !== 'Running' || pod.ready || explained(pod)) continue;
    const condition = pod.conditions?.find((c) => c.type === 'Ready');
    const since = condition?.since ?? pod.created;
    if (ageSeconds(since, input.now) < NOT_READY_SECONDS) continue;
    const unready = (pod.containers ?? []).filter((c) => !c.ready).map((c) => c.name);
    findings.push({
      code: 'POD_NOT_READY',
      severity: 'warning',
      object: podRef(pod.namespace, pod.name),
      message: `The pod has been running but not ready since ${since}${
        unready.length ? ` (containers not ready: ${unready.join(', ')})` : ''
      }.`,
      fields: {
        'status.phase': pod.phase,
        'status.conditions[type=Ready].status': condition?.status ?? 'False',
        'status.conditions[type=Ready].reason': condition?.reason,
        'status.conditions[type=Ready].lastTransitionTime': since,
      },
      suggestion:
        'Check the readiness probe (path, port, timeout) and what the container logs while it fails; kubectl describe pod shows the probe failures.',
    });
  }
  return findings;
}
