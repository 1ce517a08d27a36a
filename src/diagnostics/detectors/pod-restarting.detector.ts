import type { RawFinding } from '../../cluster-state/finding';
import { ageSeconds, DetectorInput } from './detector';
import { ContainerCheck, containerFindings, containerLabel } from './pod-containers';

/** Restarts that make a pattern rather than an accident. */
export const RESTARTS_THRESHOLD = 3;
/** How recent the last restart must be for the restarts to be still climbing. */
export const RESTARTED_WITHIN_SECONDS = 3600;

/**
 * A container that runs again after restarting repeatedly, the last time within the hour: the
 * kubelet killing it after failed liveness probes (exit 137), or a crash it recovers from each
 * time. Not CrashLoopBackOff (POD_CRASH_LOOP: it is not running), not an OOM kill
 * (POD_OOM_KILLED), not a container that restarted long ago and has run since.
 */
export const restarting: ContainerCheck = {
  match: (c, pod, input) =>
    pod.phase === 'Running' &&
    c.restarts >= RESTARTS_THRESHOLD &&
    !c.waiting &&
    !c.terminated &&
    c.lastTerminated !== undefined &&
    c.lastTerminated !== 'OOMKilled' &&
    ageSeconds(c.lastFinishedAt, input.now) < RESTARTED_WITHIN_SECONDS,
  build: (c) => ({
    code: 'POD_RESTARTING',
    severity: 'warning',
    message: `The ${containerLabel(c)} keeps restarting (${c.restarts} restarts, the last at ${c.lastFinishedAt}, exit code ${c.lastExitCode}${
      c.lastExitCode === 137 ? ': killed, as the kubelet does after failed liveness probes' : ''
    }).`,
    suggestion:
      c.lastExitCode === 137
        ? `Look at the Unhealthy events of the pod: if the liveness probe fails while the process is busy, give it a longer timeoutSeconds / failureThreshold or a startupProbe; otherwise read the previous run's log (kubectl logs <pod> -c ${c.name} --previous).`
        : `Read the previous run's log (kubectl logs <pod> -c ${c.name} --previous) for why it exits.`,
  }),
};

/** The check alone; the engine runs it with the others in one walk (pod-container-states.detector.ts). */
export const podRestarting = (input: DetectorInput): RawFinding[] =>
  containerFindings(input, [restarting]);
