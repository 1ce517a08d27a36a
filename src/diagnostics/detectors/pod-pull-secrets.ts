import type { PodRecord } from '../../cluster-state/records/pod';
import type { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

/**
 * Image pull Secrets a pod names, itself or through its ServiceAccount, that do not exist: the
 * kubelet pulls without them, and a private registry refuses. Only asked about a pod that fails to
 * pull (a public image pulls fine without the Secret), so it runs for a few pods, not 100k.
 */
export function missingPullSecrets(input: DetectorInput, pod: PodRecord): string[] {
  if (!input.caches('secrets')) return [];
  const names = new Set(pod.refs?.pullSecrets ?? []);
  if (input.caches('serviceaccounts'))
    for (const s of input.get('serviceaccounts', pod.serviceAccount ?? 'default', pod.namespace)
      ?.pullSecrets ?? [])
      names.add(s);
  return [...names].filter((s) => !input.get('secrets', s, pod.namespace));
}

/** The pull failure told by its cause: the Secret to create. */
export function pullSecretFinding(
  pod: PodRecord,
  missing: string[],
  container: string,
): Pick<RawFinding, 'code' | 'severity' | 'message' | 'suggestion' | 'causes'> {
  return {
    code: 'POD_MISSING_PULL_SECRET',
    severity: 'critical',
    message: `The image of the ${container} cannot be pulled, and the image pull Secret ${missing.join(', ')} it names (in the pod or its ServiceAccount) does not exist in ${pod.namespace}.`,
    suggestion: `Create the docker-registry Secret ${missing[0]} in ${pod.namespace} (kubectl create secret docker-registry), or fix the name in imagePullSecrets.`,
    causes: missing.slice(0, 5).map((s) => `Secret ${pod.namespace}/${s}`),
  };
}
