import type { ContainerStateRecord } from '../../cluster-state/records/pod';
import type { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';
import { ContainerCheck, containerFindings, containerLabel } from './pod-containers';
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
export const imagePull: ContainerCheck = {
  match: (c) => c.waiting !== undefined && PULL_FAILURES.has(c.waiting),
  build: (c, pod, input) => {
    const missing = missingPullSecrets(input, pod);
    return missing.length ? pullSecretFinding(pod, missing, containerLabel(c)) : pullFailure(c);
  },
};

/** The check alone; the engine runs it with the others in one walk (pod-container-states.detector.ts). */
export const podImagePull = (input: DetectorInput): RawFinding[] =>
  containerFindings(input, [imagePull]);

const pullFailure = (c: ContainerStateRecord) => ({
  code: 'POD_IMAGE_PULL',
  severity: 'critical' as const,
  message: `The image of the ${containerLabel(c)} cannot be pulled (${c.waiting}).`,
  suggestion:
    'Check the image name and tag exist in the registry, and that the pod has an imagePullSecret the registry accepts.',
});
