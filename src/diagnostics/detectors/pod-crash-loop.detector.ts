import type { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';
import { ContainerCheck, containerFindings, containerLabel } from './pod-containers';

/**
 * CrashLoopBackOff in an app, init or sidecar container. A container that restarted before and is
 * running now (a sidecar that restarted once an hour ago and is ready) is not waiting, so it does
 * not match.
 */
export const crashLoop: ContainerCheck = {
  match: (c) => c.waiting === 'CrashLoopBackOff',
  build: (c) => ({
    code: 'POD_CRASH_LOOP',
    severity: 'critical',
    message: `The ${containerLabel(c)} keeps crashing (CrashLoopBackOff, ${c.restarts} restarts${
      c.lastTerminated ? `, last exit ${c.lastTerminated} code ${c.lastExitCode}` : ''
    }).`,
    suggestion: `Read the previous run's log (kubectl logs <pod> -c ${c.name} --previous) and fix the cause of exit code ${
      c.lastExitCode ?? '?'
    }: a bad command, missing configuration, or a failing dependency at start-up.`,
  }),
};

/** The check alone; the engine runs it with the others in one walk (pod-container-states.detector.ts). */
export const podCrashLoop = (input: DetectorInput): RawFinding[] =>
  containerFindings(input, [crashLoop]);
