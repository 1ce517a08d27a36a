import type { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';
import { ContainerCheck, containerFindings, containerLabel } from './pod-containers';

const CONFIG_ERRORS = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

/** The kubelet cannot create a container from its spec (a missing key, a bad mount, a bad command). */
export const configError: ContainerCheck = {
  match: (c) => c.waiting !== undefined && CONFIG_ERRORS.has(c.waiting),
  build: (c) => ({
    code: 'POD_CONTAINER_CONFIG_ERROR',
    severity: 'critical',
    message: `The ${containerLabel(c)} cannot be created (${c.waiting}${
      c.waitingMessage ? `: ${c.waitingMessage}` : ''
    }).`,
    suggestion:
      'Fix what the message names: usually a ConfigMap or Secret key the container reads through env or a volume that does not exist.',
  }),
};

/** The check alone; the engine runs it with the others in one walk (pod-container-states.detector.ts). */
export const podConfigError = (input: DetectorInput): RawFinding[] =>
  containerFindings(input, [configError]);
