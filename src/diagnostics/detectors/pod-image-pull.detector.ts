import type { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';
import { containerFindings, containerLabel } from './pod-containers';

const PULL_FAILURES = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
]);

/** The kubelet cannot pull a container's image. */
export const podImagePull = (input: DetectorInput): RawFinding[] =>
  containerFindings(
    input.list('pods'),
    (c) => c.waiting !== undefined && PULL_FAILURES.has(c.waiting),
    (c) => ({
      code: 'POD_IMAGE_PULL',
      severity: 'critical',
      message: `The image of the ${containerLabel(c)} cannot be pulled (${c.waiting}).`,
      suggestion:
        'Check the image name and tag exist in the registry, and that the pod has an imagePullSecret the registry accepts.',
    }),
  );
