import type { AddressInfo } from 'node:net';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { AlertmanagerProcess, startAlertmanager } from './support/alertmanager-process';
import { kubectl } from './support/test-cluster';

jest.setTimeout(180_000);

const NAMESPACE = 'cp-alertmanager';
const SERVICE = 'orphan';

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Alertmanager's receiver for CloudPilot, as docs/integrations.md tells operators to write it. */
function alertmanagerConfig(cloudpilotUrl: string, token: string): string {
  return `
route:
  receiver: cloudpilot
  group_by: [alertname, namespace, service]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
receivers:
  - name: cloudpilot
    webhook_configs:
      - url: ${cloudpilotUrl}/api/v1/integrations/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${token}
`;
}

describe('a real Alertmanager, both ways', () => {
  let t: TestApp;
  let am: AlertmanagerProcess;
  let clusterId: string;
  let cloudpilotUrl: string;
  let routeId: string;

  beforeAll(async () => {
    kubectl('admin', ['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=true']);
    expect(kubectl('admin', ['create', 'namespace', NAMESPACE]).status).toBe(0);
    t = await startServer({
      CLOUDPILOT_NOTIFICATIONS_ALLOW_LOOPBACK_TARGETS: 'true',
      CLOUDPILOT_NOTIFICATIONS_SCAN_SECONDS: '1',
    });
    await t.app.listen(0, '127.0.0.1');
    cloudpilotUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    clusterId = (await register(t, 'am')).id;
    const receiver = await t
      .http()
      .post('/api/v1/integrations/alertmanager/receivers')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: 'alertmanager' });
    expect(receiver.status).toBe(201);
    am = await startAlertmanager(alertmanagerConfig(cloudpilotUrl, receiver.body.data.token));
    const route = await t
      .http()
      .post('/api/v1/notifications/routes')
      .set(bearer(ADMIN_TOKEN))
      .send({
        name: 'alertmanager',
        target: { type: 'alertmanager', url: am.url },
        match: { namespaces: [NAMESPACE], events: ['finding.opened', 'finding.resolved'] },
        repeatIntervalSeconds: 3,
      });
    expect(route.status).toBe(201);
    routeId = route.body.data.id;
  });

  afterAll(async () => {
    await am?.stop();
    await t?.close();
    kubectl('admin', ['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=false']);
  });

  it("posts a finding Alertmanager accepts, and stores Alertmanager's webhook linked to that finding", async () => {
    const manifest = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: SERVICE, namespace: NAMESPACE },
      spec: { selector: { app: 'nobody' }, ports: [{ port: 80 }] },
    };
    expect(
      kubectl('admin', ['create', '-f', '-'], { input: JSON.stringify(manifest) }).status,
    ).toBe(0);
    const createdAt = Date.now();
    const finding = await until('the finding', 30_000, async () => {
      const res = await t
        .http()
        .get(`/api/v1/clusters/${clusterId}/diagnostics?namespace=${NAMESPACE}`)
        .set(bearer(ADMIN_TOKEN));
      return res.body.data?.items.find((f: any) => f.code === 'SERVICE_NO_MATCHING_PODS');
    });
    const inAlertmanager = await until('the alert in Alertmanager', 30_000, async () => {
      const alerts = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as any[];
      return alerts.find((a) => a.labels.cloudpilot_finding === finding.id);
    });
    expect(inAlertmanager.labels).toMatchObject({
      alertname: 'SERVICE_NO_MATCHING_PODS',
      namespace: NAMESPACE,
      service: SERVICE,
      cluster: clusterId,
      severity: 'warning',
    });
    expect(inAlertmanager.status.state).toBe('active');
    const stored = await until('the alert back in CloudPilot', 30_000, async () => {
      const res = await t
        .http()
        .get(
          '/api/v1/integrations/alertmanager/alerts?alertname=SERVICE_NO_MATCHING_PODS&linked=true',
        )
        .set(bearer(ADMIN_TOKEN));
      return res.body.data.items[0];
    });
    process.stderr.write(
      `service created → alert linked in CloudPilot: ${Date.now() - createdAt} ms\n`,
    );
    expect(stored).toMatchObject({
      status: 'firing',
      clusterId,
      fingerprint: inAlertmanager.fingerprint,
    });
    expect(stored.links).toEqual([
      expect.objectContaining({ findingId: finding.id, code: 'SERVICE_NO_MATCHING_PODS' }),
    ]);
  });

  it('re-posts a still-open finding every repeat interval, so Alertmanager keeps it firing', async () => {
    const reminders = await until('a reminder delivered', 20_000, async () => {
      const res = await t
        .http()
        .get(`/api/v1/notifications/deliveries?routeId=${routeId}&status=delivered`)
        .set(bearer(ADMIN_TOKEN));
      const found = res.body.data.items.filter((d: any) => d.eventType === 'finding.reminder');
      return found.length ? found : undefined;
    });
    expect(reminders[0].eventKey).toMatch(/^[0-9a-f]{16}#1@[0-9a-f]{8}:\d+$/);
    const alerts = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as any[];
    expect(alerts.filter((a) => a.labels.alertname === 'SERVICE_NO_MATCHING_PODS')).toHaveLength(1);
  });

  it('refuses alerts without the receiver token, and with an API token in its place', async () => {
    const body = {
      version: '4',
      groupKey: 'g',
      status: 'firing',
      receiver: 'x',
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      alerts: [],
    };
    const anonymous = await t.http().post('/api/v1/integrations/alertmanager').send(body);
    const withApiToken = await t
      .http()
      .post('/api/v1/integrations/alertmanager')
      .set(bearer(ADMIN_TOKEN))
      .send(body);
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect([withApiToken.status, withApiToken.body.code]).toEqual([401, 'UNAUTHENTICATED']);
  });
});
