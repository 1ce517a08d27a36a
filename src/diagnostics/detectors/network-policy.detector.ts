import { RawFinding } from '../../cluster-state/finding';
import { isEmptySelector, selectorMatches } from '../selectors';
import { DetectorInput } from './detector';

/**
 * NetworkPolicies whose podSelector matches no pod of their namespace: they protect nothing, and
 * usually a label was renamed. An empty podSelector (every pod of the namespace, the common
 * default-deny) is never reported.
 */
export function networkPolicies(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const p of input.list('networkpolicies')) {
    if (isEmptySelector(p.podSelector)) continue;
    const pods = input.podsIn(p.namespace);
    if (pods.some((pod) => selectorMatches(p.podSelector, pod.labels))) continue;
    findings.push({
      code: 'NETWORK_POLICY_NO_PODS',
      severity: 'info',
      object: {
        group: 'networking.k8s.io',
        kind: 'NetworkPolicy',
        namespace: p.namespace,
        name: p.name,
      },
      message: 'The policy\u2019s podSelector matches no pod: it applies to nothing.',
      fields: { 'spec.podSelector': p.podSelector, podsInNamespace: pods.length },
      suggestion:
        'Make spec.podSelector match the labels of the pods it should protect, or delete the policy.',
    });
  }
  return findings;
}
