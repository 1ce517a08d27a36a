import type { RawFinding } from '../../cluster-state/finding';
import { ageSeconds, DetectorInput } from './detector';
import { ContainerCheck, containerFindings, containerLabel } from './pod-containers';

/** An OOM kill an hour ago of a container that is ready now is history, not a problem. */
const RECENT_SECONDS = 3600;

/** A container was killed for exceeding its memory limit, now or in its last run. */
export const oomKilled: ContainerCheck = {
  match: (c, _pod, input) =>
    c.terminated === 'OOMKilled' ||
    (c.lastTerminated === 'OOMKilled' &&
      (!c.ready || ageSeconds(c.lastFinishedAt, input.now) < RECENT_SECONDS)),
  build: (c) => ({
    code: 'POD_OOM_KILLED',
    severity: 'warning',
    message: `The ${containerLabel(c)} was killed for running out of memory (OOMKilled, ${c.restarts} restarts).`,
    suggestion:
      'Raise the container memory limit above its peak use, or find what makes its memory grow (a leak, a too large cache or batch).',
  }),
};

/** The check alone; the engine runs it with the others in one walk (pod-container-states.detector.ts). */
export const podOomKilled = (input: DetectorInput): RawFinding[] =>
  containerFindings(input, [oomKilled]);
