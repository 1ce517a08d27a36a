import type { ContainerStateRecord, PodRecord } from '../../cluster-state/records/pod';
import { podRef, RawFinding, Severity } from '../../cluster-state/finding';

/**
 * Shared by the per-container pod detectors: the pods worth looking at (not Succeeded: a finished
 * Job pod is healthy), and one finding per pod naming its first matching container.
 */
export function containerFindings(
  pods: readonly PodRecord[],
  match: (c: ContainerStateRecord, pod: PodRecord) => boolean,
  build: (
    c: ContainerStateRecord,
    pod: PodRecord,
  ) => {
    code: string;
    severity: Severity;
    message: string;
    suggestion: string;
    causes?: string[];
  },
): RawFinding[] {
  const findings: RawFinding[] = [];
  // Index loops, no closure per pod: this runs for every pod of a full evaluation (100k) in each
  // of the container detectors, and what it allocates is garbage the next scavenge pays for.
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i];
    if (!pod.containers || pod.phase === 'Succeeded') continue;
    let container: ContainerStateRecord | undefined;
    for (let j = 0; j < pod.containers.length && !container; j++)
      if (match(pod.containers[j], pod)) container = pod.containers[j];
    if (!container) continue;
    const built = build(container, pod);
    findings.push({
      ...built,
      object: podRef(pod.namespace, pod.name),
      fields: containerFields(container, pod),
    });
  }
  return findings;
}

export function containerFields(c: ContainerStateRecord, pod: PodRecord): Record<string, unknown> {
  const path = c.role === 'main' ? 'containerStatuses' : 'initContainerStatuses';
  const at = `status.${path}[name=${c.name}]`;
  return {
    'status.phase': pod.phase,
    [`${at}.ready`]: c.ready,
    [`${at}.restartCount`]: c.restarts,
    ...(c.waiting ? { [`${at}.state.waiting.reason`]: c.waiting } : {}),
    ...(c.waitingMessage ? { [`${at}.state.waiting.message`]: c.waitingMessage } : {}),
    ...(c.terminated ? { [`${at}.state.terminated.reason`]: c.terminated } : {}),
    ...(c.exitCode !== undefined ? { [`${at}.state.terminated.exitCode`]: c.exitCode } : {}),
    ...(c.lastTerminated ? { [`${at}.lastState.terminated.reason`]: c.lastTerminated } : {}),
    ...(c.lastExitCode !== undefined
      ? { [`${at}.lastState.terminated.exitCode`]: c.lastExitCode }
      : {}),
    ...(c.lastFinishedAt ? { [`${at}.lastState.terminated.finishedAt`]: c.lastFinishedAt } : {}),
  };
}

/** "container app", "init container migrate" or "sidecar container proxy", for messages. */
export const containerLabel = (c: ContainerStateRecord): string =>
  `${c.role === 'main' ? '' : `${c.role} `}container ${c.name}`;
