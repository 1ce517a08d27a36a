import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { AlertmanagerProcess, startAlertmanager } from './support/alertmanager-process';
import { PrometheusProcess, startPrometheus } from './support/prometheus-process';
import { kubectl } from './support/test-cluster';

jest.setTimeout(240_000);

const NAMESPACE = 'cp-prometheus-alerts';
const WORKLOAD = 'crasher';

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

/**
 * kube-state-metrics' `kube_pod_container_status_waiting_reason` for the test namespace, read
 * from the real cluster's pod statuses on every scrape: the series the standard
 * KubePodCrashLooping rule of kube-prometheus alerts on. (The test cluster runs no
 * kube-state-metrics; this exposes the same series from the same API objects.)
 */
function podStatusExposition(): string {
  const res = kubectl('admin', ['get', 'pods', '-n', NAMESPACE, '-o', 'json']);
  const pods = (JSON.parse(res.stdout || '{"items":[]}') as { items: any[] }).items;
  const lines = ['# TYPE kube_pod_container_status_waiting_reason gauge'];
  for (const pod of pods)
    for (const c of pod.status?.containerStatuses ?? []) {
      const reason = c.state?.waiting?.reason;
      if (reason)
        lines.push(
          `kube_pod_container_status_waiting_reason{namespace="${NAMESPACE}",pod="${pod.metadata.name}",container="${c.name}",reason="${reason}"} 1`,
        );
    }
  return `${lines.join('\n')}\n`;
}

const RULES = `
groups:
  - name: kubernetes-apps
    rules:
      - alert: KubePodCrashLooping
        expr: max by (namespace, pod, container) (kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}) >= 1
        labels: { severity: warning }
        annotations: { summary: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} is crash looping' }
`;

describe('Prometheus rule → Alertmanager → CloudPilot, linked to the finding of the same workload', () => {
  let t: TestApp;
  let am: AlertmanagerProcess;
  let prometheus: PrometheusProcess;
  let exporter: Server;

  beforeAll(async () => {
    kubectl('admin', ['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=true']);
    expect(kubectl('admin', ['create', 'namespace', NAMESPACE]).status).toBe(0);
    t = await startServer();
    await t.app.listen(0, '127.0.0.1');
    const cloudpilot = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    await register(t, 'prometheus');
    const token = (
      await t
        .http()
        .post('/api/v1/integrations/alertmanager/receivers')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'am' })
    ).body.data.token;
    am = await startAlertmanager(`
route: { receiver: cloudpilot, group_by: [alertname, namespace, pod], group_wait: 1s, group_interval: 2s }
receivers:
  - name: cloudpilot
    webhook_configs:
      - url: ${cloudpilot}/api/v1/integrations/alertmanager
        http_config: { authorization: { type: Bearer, credentials: ${token} } }
`);
    // Prometheus 3 refuses a scrape without the exposition format's content type.
    exporter = createServer((_req, res) =>
      res
        .writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' })
        .end(podStatusExposition()),
    );
    await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
    const exporterPort = (exporter.address() as AddressInfo).port;
    prometheus = await startPrometheus({
      rules: RULES,
      config: (dir) => `
global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [${dir}/rules.yml]
alerting: { alertmanagers: [ { static_configs: [ { targets: ['${am.url.replace('http://', '')}'] } ] } ] }
scrape_configs: [ { job_name: kube-state-metrics, static_configs: [ { targets: ['127.0.0.1:${exporterPort}'] } ] } ]
`,
    });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await am?.stop();
    await new Promise((resolve) => (exporter ? exporter.close(resolve) : resolve(undefined)));
    await t?.close();
    kubectl('admin', ['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=false']);
  });

  it('stores the firing alert linked to the crash-loop finding of its Deployment within 30 s', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: WORKLOAD, namespace: NAMESPACE },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: WORKLOAD } },
        template: {
          metadata: { labels: { app: WORKLOAD, 'cloudpilot.dev/fault': 'CrashLoopBackOff' } },
          spec: { containers: [{ name: 'app', image: 'registry.example/crasher:1' }] },
        },
      },
    };
    expect(
      kubectl('admin', ['create', '-f', '-'], { input: JSON.stringify(deployment) }).status,
    ).toBe(0);
    const firing = await until('the rule firing in Prometheus', 120_000, async () => {
      const body = (await (await fetch(`${prometheus.url}/api/v1/alerts`)).json()) as any;
      const alert = body.data.alerts.find((a: any) => a.labels.alertname === 'KubePodCrashLooping');
      return alert?.state === 'firing' ? Date.now() : undefined;
    });
    const linked = await until('the alert linked in CloudPilot', 30_000, async () => {
      const res = await t
        .http()
        .get('/api/v1/integrations/alertmanager/alerts?alertname=KubePodCrashLooping&linked=true')
        .set(bearer(ADMIN_TOKEN));
      return res.body.data.items[0];
    });
    process.stderr.write(`rule firing → linked in CloudPilot: ${Date.now() - firing} ms\n`);
    expect(Date.now() - firing).toBeLessThan(30_000);
    expect(linked.labels).toMatchObject({
      namespace: NAMESPACE,
      pod: expect.stringMatching(`^${WORKLOAD}-`),
    });
    expect(linked.links).toContainEqual(
      expect.objectContaining({
        code: 'POD_CRASH_LOOP',
        object: expect.objectContaining({
          kind: 'Deployment',
          name: WORKLOAD,
          namespace: NAMESPACE,
        }),
      }),
    );
  });
});
