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

/**
 * Services whose selector matches no pod (saying when it matches pods of another namespace), or
 * whose matching pods are all unready (no ready endpoint), and what service-backends.ts finds of
 * those with matching pods. ExternalName Services and Services
 * without a selector (endpoints managed by hand) are skipped; a headless Service of a healthy
 * StatefulSet has ready endpoints and is fine. Finished pods do not count as matches.
 */
export function services(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  const byLabel = new PodsByLabel(input);
  for (const s of input.list('services')) {
    const selector: Record<string, string> | undefined = s.spec.selector;
    if (s.spec.type === 'ExternalName' || !selector || !Object.keys(selector).length) continue;
    const namespace = s.metadata.namespace ?? '';
    const pods = byLabel
      .candidates(namespace, selector)
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

/** Namespaces with fewer pods than this are scanned whole for each Service. */
const INDEX_FROM_PODS = 64;
const NO_PODS: readonly PodRecord[] = [];

/**
 * A namespace's pods by label pair, built once per evaluation and namespace when it is large:
 * matching each Service against every pod of its namespace cost Services × pods (200 × 2,000 per
 * namespace at 100k pods: most of a full evaluation). The candidates of a selector are the pods
 * carrying its first pair, in the namespace's order; the caller still checks the whole selector.
 * Not kept past the evaluation, so it adds nothing to what the engine retains.
 */
class PodsByLabel {
  private readonly namespaces = new Map<string, Map<string, PodRecord[]>>();

  constructor(private readonly input: DetectorInput) {}

  candidates(namespace: string, selector: Record<string, string>): readonly PodRecord[] {
    const pods = this.input.podsIn(namespace);
    if (pods.length < INDEX_FROM_PODS) return pods;
    let index = this.namespaces.get(namespace);
    if (!index) this.namespaces.set(namespace, (index = indexByLabel(pods)));
    const [key] = Object.keys(selector);
    return index.get(`${key}=${selector[key]}`) ?? NO_PODS;
  }
}

function indexByLabel(pods: readonly PodRecord[]): Map<string, PodRecord[]> {
  const index = new Map<string, PodRecord[]>();
  for (const pod of pods)
    for (const key in pod.labels) {
      const pair = `${key}=${pod.labels[key]}`;
      const list = index.get(pair);
      if (list) list.push(pod);
      else index.set(pair, [pod]);
    }
  return index;
}
