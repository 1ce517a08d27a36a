import type { ContainerStateRecord } from '../../cluster-state/records/pod';
import type { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';
import { containerFindings, containerLabel } from './pod-containers';
import { missingPullSecrets, pullSecretFinding } from './pod-pull-secrets';

const PULL_FAILURES = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
]);

/**
 * The kubelet cannot pull a container's image; when the pod names an image pull Secret that does
 * not exist, the finding is that cause (POD_MISSING_PULL_SECRET, naming the Secret) instead.
 */
export const podImagePull = (input: DetectorInput): RawFinding[] =>
  containerFindings(
    input.list('pods'),
    (c) => c.waiting !== undefined && PULL_FAILURES.has(c.waiting),
    (c, pod) => {
      const missing = missingPullSecrets(input, pod);
      return missing.length ? pullSecretFinding(pod, missing, containerLabel(c)) : pullFailure(c);
    },
  );

const pullFailure = (c: ContainerStateRecord) => ({
  code: 'POD_IMAGE_PULL',
  severity: 'critical' as const,
  message: `The image of the ${containerLabel(c)} cannot be pulled (${c.waiting}).`,
  suggestion:
    'Check the image name and tag exist in the registry, and that the pod has an imagePullSecret the registry accepts.',
});
