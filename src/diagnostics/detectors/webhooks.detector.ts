import type { WebhookConfigRecord } from '../../cluster-state/records/policy';
import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

function missingServices(
  input: DetectorInput,
  kind: string,
  config: WebhookConfigRecord,
): RawFinding[] {
  return config.services
    .filter((s) => !input.get('services', s.name, s.namespace))
    .map((s) => ({
      code: 'WEBHOOK_MISSING_SERVICE',
      // failurePolicy Fail: every matching API request is rejected while the Service is missing.
      severity: s.failurePolicy === 'Ignore' ? ('warning' as const) : ('critical' as const),
      object: { group: 'admissionregistration.k8s.io', kind, namespace: '', name: config.name },
      message: `Webhook ${s.webhook} calls Service ${s.namespace}/${s.name}, which does not exist (failurePolicy ${s.failurePolicy}).`,
      fields: {
        webhook: s.webhook,
        'clientConfig.service': `${s.namespace}/${s.name}`,
        failurePolicy: s.failurePolicy,
      },
      suggestion: `Reinstall the component that serves ${s.namespace}/${s.name}, or delete the leftover ${kind} ${config.name}.`,
    }));
}

/** Admission webhooks whose Service is missing (URL webhooks point outside the cluster and are not checked). */
export const webhooks = (input: DetectorInput): RawFinding[] => [
  ...input
    .list('mutatingwebhookconfigurations')
    .flatMap((c) => missingServices(input, 'MutatingWebhookConfiguration', c)),
  ...input
    .list('validatingwebhookconfigurations')
    .flatMap((c) => missingServices(input, 'ValidatingWebhookConfiguration', c)),
];
