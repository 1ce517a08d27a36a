import type { RawFinding } from '../../cluster-state/finding';
import type { DetectorInput } from './detector';
import { configError } from './pod-config-error.detector';
import { ContainerCheck, containerFindings } from './pod-containers';
import { crashLoop } from './pod-crash-loop.detector';
import { imagePull } from './pod-image-pull.detector';
import { oomKilled } from './pod-oom-killed.detector';
import { restarting } from './pod-restarting.detector';

/** The per-container checks, in the order their findings are listed. */
const CHECKS: readonly ContainerCheck[] = [
  crashLoop,
  imagePull,
  oomKilled,
  configError,
  restarting,
];

/**
 * Every per-container check in one walk over the pods (see containerFindings): crash loops, pull
 * failures (told by their missing pull Secret when there is one), OOM kills, containers that cannot
 * be created, restarts climbing on a running container.
 */
export const podContainerStates = (input: DetectorInput): RawFinding[] =>
  containerFindings(input, CHECKS);
