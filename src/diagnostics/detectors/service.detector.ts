import type { SpecObject } from '../../cluster-state/records/spec-object';
import { RawFinding } from '../../cluster-state/finding';
import { mapMatches } from '../selectors';
import { DetectorInput } from './detector';
import { addBackendFindings } from './service-backends';

const ref = (s: SpecObject) => ({
  group: '',
  kind: 'Service',
  namespace: s.metadata.namespace ?? '',
  name: s.metadata.name,
});

/**
 * Namespaces other than the Service's with pods its selector matches: a common copy-paste slip.
 * Only namespaces holding a pod with the selector's first label are looked at, so a Service that
 * matches nothing costs a few namespaces' pods, not the cluster's.
 */
function elsewhere(input: DetectorInput, selector: Record<string, string>, own: string): string[] {
  const [key] = Object.keys(selector);
  const found: string[] = [];
  for (const namespace of input.namespacesWithPodLabel(key, selector[key]))
    if (namespace !== own && input.podsIn(namespace).some((p) => mapMatches(selector, p.labels)))
      found.push(namespace);
  return found.sort().slice(0, 5);
}

/**
 * Services whose selector matches no pod (saying when it matches pods of another namespace), or
 * whose matching pods are all unready (no ready endpoint), and what service-backends.ts finds of
 * those with matching pods. ExternalName Services and Services
 * without a selector (endpoints managed by hand) are skipped; a headless Service of a healthy
 * StatefulSet has ready endpoints and is fine. Finished pods do not count as matches.
 */
export function services(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const s of input.list('services')) {
    const selector: Record<string, string> | undefined = s.spec.selector;
    if (s.spec.type === 'ExternalName' || !selector || !Object.keys(selector).length) continue;
    const namespace = s.metadata.namespace ?? '';
    const pods = input
      .podsIn(namespace)
      .filter(
        (p) => p.phase !== 'Succeeded' && p.phase !== 'Failed' && mapMatches(selector, p.labels),
      );
    const fields: Record<string, unknown> = {
      'spec.selector': selector,
      matchingPods: pods.length,
    };
    if (!pods.length) {
      const others = elsewhere(input, selector, namespace);
      findings.push({
        code: 'SERVICE_NO_MATCHING_PODS',
        severity: 'warning',
        object: ref(s),
        message: others.length
          ? `The selector matches no pod in ${namespace}, only pods in namespace(s) ${others.join(', ')}: a Service selects pods of its own namespace only.`
          : 'The selector matches no pod: the Service has no backend.',
        fields: others.length ? { ...fields, matchingPodsInNamespaces: others } : fields,
        suggestion: others.length
          ? `Create the Service in ${others[0]}, or deploy the pods in ${namespace}.`
          : 'Make spec.selector equal to the labels of the pod template it should serve (kubectl get pods --show-labels).',
      });
      continue;
    }
    addBackendFindings(findings, input, s, pods, ref(s));
    // A ready pod counts even before its slice is updated, so a lagging slice is no false alarm.
    if (input.readyEndpoints(namespace, s.metadata.name) > 0 || pods.some((p) => p.ready)) continue;
    findings.push({
      code: 'SERVICE_NO_READY_ENDPOINTS',
      severity: 'critical',
      object: ref(s),
      message: `The selector matches ${pods.length} pods but none is ready: the Service has no endpoint to send traffic to.`,
      fields: { ...fields, readyEndpoints: 0, pods: pods.slice(0, 5).map((p) => p.name) },
      suggestion: 'Fix the pods the Service selects (their findings say why they are not ready).',
    });
  }
  return findings;
}
