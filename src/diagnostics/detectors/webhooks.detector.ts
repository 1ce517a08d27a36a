import type { WebhookConfigRecord } from '../../cluster-state/records/policy';
import { RawFinding, Severity } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

type WebhookService = WebhookConfigRecord['services'][number];

// failurePolicy Fail: every matching API request is rejected while the webhook cannot be called.
const severityOf = (s: WebhookService): Severity =>
  s.failurePolicy === 'Ignore' ? 'warning' : 'critical';

/** The Service is missing, or exists without a ready endpoint (undefined: it can be called). */
function unreachable(
  input: DetectorInput,
  kind: string,
  config: WebhookConfigRecord,
  s: WebhookService,
): RawFinding | undefined {
  const service = input.get('services', s.name, s.namespace);
  const object = { group: 'admissionregistration.k8s.io', kind, namespace: '', name: config.name };
  const fields = {
    webhook: s.webhook,
    'clientConfig.service': `${s.namespace}/${s.name}`,
    failurePolicy: s.failurePolicy,
  };
  if (!service)
    return {
      code: 'WEBHOOK_MISSING_SERVICE',
      severity: severityOf(s),
      object,
      message: `Webhook ${s.webhook} calls Service ${s.namespace}/${s.name}, which does not exist (failurePolicy ${s.failurePolicy}).`,
      fields,
      suggestion: `Reinstall the component that serves ${s.namespace}/${s.name}, or delete the leftover ${kind} ${config.name}.`,
    };
  // An ExternalName Service has no endpoints of its own; without slices cached, nothing is known.
  if (service.spec.type === 'ExternalName' || !input.caches('endpointslices')) return undefined;
  if (input.readyEndpoints(s.namespace, s.name) > 0) return undefined;
  return {
    code: 'WEBHOOK_NO_READY_ENDPOINTS',
    severity: severityOf(s),
    object,
    message: `Webhook ${s.webhook} calls Service ${s.namespace}/${s.name}, which has no ready endpoint (failurePolicy ${s.failurePolicy}${s.failurePolicy === 'Ignore' ? ': requests pass unchecked' : ': matching API requests are rejected'}).`,
    fields: { ...fields, readyEndpoints: 0 },
    suggestion: `Bring the pods behind ${s.namespace}/${s.name} back (their findings say why they are not ready), or delete the leftover ${kind} ${config.name}.`,
    causes: [`Service ${s.namespace}/${s.name}`],
  };
}

function configFindings(input: DetectorInput, kind: string, config: WebhookConfigRecord) {
  const found: RawFinding[] = [];
  for (const s of config.services) {
    const f = unreachable(input, kind, config, s);
    if (f) found.push(f);
  }
  return found;
}

/**
 * Admission webhooks whose Service is missing or has no ready endpoint (URL webhooks point outside
 * the cluster and are not checked).
 */
export const webhooks = (input: DetectorInput): RawFinding[] => [
  ...input
    .list('mutatingwebhookconfigurations')
    .flatMap((c) => configFindings(input, 'MutatingWebhookConfiguration', c)),
  ...input
    .list('validatingwebhookconfigurations')
    .flatMap((c) => configFindings(input, 'ValidatingWebhookConfiguration', c)),
];
