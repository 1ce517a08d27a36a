import { slimWebhookConfig } from '../../cluster-state/records/policy';

/** Builders of the objects the cause-naming detectors read, as the API would send them, slimmed. */

export const slimValidatingWebhook = (
  name: string,
  namespace: string,
  service: string,
  failurePolicy: 'Fail' | 'Ignore',
) =>
  slimWebhookConfig({
    metadata: { name },
    webhooks: [
      {
        name: `${name}.example.com`,
        failurePolicy,
        clientConfig: { service: { namespace, name: service } },
      },
    ],
  });
