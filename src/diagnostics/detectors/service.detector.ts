import type { PodRecord } from '../../cluster-state/records/pod';
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

/** No key: a for-in, not an Object.keys array per Service per evaluation. */
function isEmpty(selector: Record<string, string>): boolean {
  for (const key in selector) if (Object.prototype.hasOwnProperty.call(selector, key)) return false;
  return true;
}

/**
 * The pods a selector matches, finished ones left out. Replicas share their interned label set and
 * sit next to each other in a namespace's list, so the selector is matched once per run of equal
 * label sets, not once per pod: a full evaluation matches every Service against its whole
 * namespace (10k Services × 100 pods at 100k pods).
 */
function matching(pods: readonly PodRecord[], selector: Record<string, string>): PodRecord[] {
  const found: PodRecord[] = [];
  let labels: Record<string, string> | undefined;
  let matches = false;
  for (let i = 0; i < pods.length; i++) {
    const p = pods[i];
    if (p.phase === 'Succeeded' || p.phase === 'Failed') continue;
    if (p.labels !== labels) matches = mapMatches(selector, (labels = p.labels));
    if (matches) found.push(p);
  }
  return found;
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
    if (s.spec.type === 'ExternalName' || !selector || isEmpty(selector)) continue;
    const namespace = s.metadata.namespace ?? '';
    const pods = matching(input.podsIn(namespace), selector);
    if (!pods.length) {
      const fields = { 'spec.selector': selector, matchingPods: 0 };
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
      fields: {
        'spec.selector': selector,
        matchingPods: pods.length,
        readyEndpoints: 0,
        pods: pods.slice(0, 5).map((p) => p.name),
      },
      suggestion: 'Fix the pods the Service selects (their findings say why they are not ready).',
    });
  }
  return findings;
}
