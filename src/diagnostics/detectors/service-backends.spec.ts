import { slimEndpointSlice } from '../../cluster-state/records/networking';
import { slimSpecObject } from '../../cluster-state/records/spec-object';
import { slimValidatingWebhook } from '../testing/cause-builders';
import { ago, inputOf, pod } from '../testing/diagnostics-builders';
import { READY_GRACE_SECONDS } from './service-backends';
import { services } from './service.detector';
import { webhooks } from './webhooks.detector';

const svc = (name: string, spec: Record<string, any>) =>
  slimSpecObject({ metadata: { name, namespace: 'shop' }, spec });
const names = (found: { code: string; object: { name: string } }[]) =>
  found.map((f) => `${f.code} ${f.object.name}`);
const slice = (service: string, endpoints: { ready: boolean }[]) =>
  slimEndpointSlice({
    metadata: {
      name: `${service}-x`,
      namespace: 'shop',
      labels: { 'kubernetes.io/service-name': service },
    },
    endpoints: endpoints.map((e) => ({ conditions: e })),
  });
const withPorts = (name: string, app: string, ports: Record<string, any>[]) =>
  pod(name, {
    labels: { app },
    spec: { containers: [{ name: 'app', ports, resources: { requests: { cpu: '1' } } }] },
  });
const readyFor = (name: string, app: string, seconds: number) =>
  pod(name, {
    labels: { app },
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: ago(seconds) }],
  });

describe('Service backends', () => {
  it('report a named targetPort no pod declares, and a numeric one among declared ports that differ', () => {
    const found = services(
      inputOf({
        pods: [
          withPorts('named-1', 'named', [{ name: 'web', containerPort: 8080 }]),
          withPorts('named-2', 'named', [{ name: 'web', containerPort: 8080 }]),
          withPorts('num-1', 'num', [{ containerPort: 8080 }]),
          withPorts('num-2', 'num', [{ containerPort: 8080 }]),
        ],
        services: [
          svc('named', { selector: { app: 'named' }, ports: [{ port: 80, targetPort: 'http' }] }),
          svc('num', { selector: { app: 'num' }, ports: [{ port: 80, targetPort: 9090 }] }),
        ],
      }),
    );
    expect(names(found)).toEqual([
      'SERVICE_TARGET_PORT_UNDECLARED named',
      'SERVICE_TARGET_PORT_UNDECLARED num',
    ]);
    expect(found.map((f) => f.severity)).toEqual(['critical', 'warning']);
    expect(found[1].fields['pod.spec.containers[].ports']).toEqual(['8080']);
  });

  it('stay silent on a numeric targetPort over pods that declare no ports, and on declared ones (name or number)', () => {
    const found = services(
      inputOf({
        pods: [
          pod('bare-1', { labels: { app: 'bare' } }),
          pod('bare-2', { labels: { app: 'bare' } }),
          withPorts('ok-1', 'ok', [{ name: 'http', containerPort: 8080 }]),
          withPorts('ok-2', 'ok', [{ name: 'http', containerPort: 8080 }]),
        ],
        services: [
          svc('bare', { selector: { app: 'bare' }, ports: [{ port: 80, targetPort: 9090 }] }),
          svc('by-name', { selector: { app: 'ok' }, ports: [{ port: 80, targetPort: 'http' }] }),
          svc('by-number', { selector: { app: 'ok' }, ports: [{ port: 8080 }] }),
        ],
      }),
    );
    expect(names(found)).toEqual([]);
  });

  it('report pods ready past the grace period while the slices hold no endpoint; not within the grace, not without a slice, not with terminating endpoints', () => {
    const long = READY_GRACE_SECONDS + 30;
    const found = services(
      inputOf({
        pods: [
          readyFor('left-out-1', 'left-out', long),
          readyFor('left-out-2', 'left-out', long),
          readyFor('just-ready-1', 'just-ready', 5),
          readyFor('just-ready-2', 'just-ready', 5),
          readyFor('no-slice-1', 'no-slice', long),
          readyFor('no-slice-2', 'no-slice', long),
          readyFor('draining-1', 'draining', long),
          readyFor('draining-2', 'draining', long),
        ],
        services: ['left-out', 'just-ready', 'no-slice', 'draining'].map((n) =>
          svc(n, { selector: { app: n }, ports: [{ port: 80 }] }),
        ),
        endpointslices: [
          slice('left-out', []),
          slice('just-ready', []),
          slice('draining', [{ ready: false }, { ready: false }]),
        ],
      }),
    );
    expect(names(found)).toEqual(['SERVICE_READY_PODS_NO_ENDPOINTS left-out']);
    expect(found[0].fields.pods).toEqual(['left-out-1', 'left-out-2']);
  });

  it('report a ClusterIP Service served by one pod (info), not a headless one nor two pods', () => {
    const found = services(
      inputOf({
        pods: [
          pod('solo-1', { labels: { app: 'solo' } }),
          pod('db-0', { labels: { app: 'db' } }),
          pod('pair-1', { labels: { app: 'pair' } }),
          pod('pair-2', { labels: { app: 'pair' } }),
        ],
        services: [
          svc('solo', { selector: { app: 'solo' }, ports: [{ port: 80 }] }),
          svc('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 80 }] }),
          svc('pair', { selector: { app: 'pair' }, ports: [{ port: 80 }] }),
        ],
        endpointslices: [slice('solo', [{ ready: true }]), slice('db', [{ ready: true }])],
      }),
    );
    expect(names(found)).toEqual(['SERVICE_SINGLE_ENDPOINT solo']);
    expect(found[0].severity).toBe('info');
  });
});

describe('admission webhooks', () => {
  it('report a Service without ready endpoint, critical under failurePolicy Fail and naming the Service; not one with a ready endpoint', () => {
    const found = webhooks(
      inputOf({
        services: [
          svc('down', { selector: { app: 'down' }, ports: [{ port: 443 }] }),
          svc('up', { selector: { app: 'up' }, ports: [{ port: 443 }] }),
        ],
        endpointslices: [slice('down', [{ ready: false }]), slice('up', [{ ready: true }])],
        mutatingwebhookconfigurations: [],
        validatingwebhookconfigurations: [
          slimValidatingWebhook('strict', 'shop', 'down', 'Fail'),
          slimValidatingWebhook('lenient', 'shop', 'down', 'Ignore'),
          slimValidatingWebhook('served', 'shop', 'up', 'Fail'),
        ],
      }),
    );
    expect(found.map((f) => `${f.code} ${f.object.name} ${f.severity}`)).toEqual([
      'WEBHOOK_NO_READY_ENDPOINTS strict critical',
      'WEBHOOK_NO_READY_ENDPOINTS lenient warning',
    ]);
    expect(found[0].causes).toEqual(['Service shop/down']);
  });

  it('say nothing about endpoints when EndpointSlices are not cached', () => {
    const found = webhooks(
      inputOf({
        services: [svc('down', { selector: { app: 'down' }, ports: [{ port: 443 }] })],
        mutatingwebhookconfigurations: [],
        validatingwebhookconfigurations: [slimValidatingWebhook('strict', 'shop', 'down', 'Fail')],
      }),
    );
    expect(found).toEqual([]);
  });
});
