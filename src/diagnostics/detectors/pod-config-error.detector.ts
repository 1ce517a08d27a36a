import type { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';
import { containerFindings, containerLabel } from './pod-containers';

const CONFIG_ERRORS = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

/** The kubelet cannot create a container from its spec (a missing key, a bad mount, a bad command). */
export const podConfigError = (input: DetectorInput): RawFinding[] =>
  containerFindings(
    input.list('pods'),
    (c) => c.waiting !== undefined && CONFIG_ERRORS.has(c.waiting),
    (c) => ({
      code: 'POD_CONTAINER_CONFIG_ERROR',
      severity: 'critical',
      message: `The ${containerLabel(c)} cannot be created (${c.waiting}${
        c.waitingMessage ? `: ${c.waitingMessage}` : ''
      }).`,
      suggestion:
        'Fix what the message names: usually a ConfigMap or Secret key the container reads through env or a volume that does not exist.',
    }),
  );
