import { near, promQuery, testPrometheus, untilPromValue } from '../support/prometheus';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';
import { ToolDepsSource } from '../../src/llm/tools/tool-deps';
import { ToolRunner } from '../../src/llm/tools/tool-runner';
import { TOOL_TABLE } from '../../src/llm/tools/tool-table';
import { AccessScope, everywhere } from '../../src/common/access-grants';

/**
 * Golden signals, health and the service graph against the real Prometheus of the test cluster,
 * scraping the telemetry simulator. The oracle is what the test tells the simulator to do (the
 * sim.cloudpilot.dev/ annotations), checked also by the test's own PromQL.
 */
const WINDOW = 30;
let ns: string;
let t: TestApp;

const SIM = 'sim.cloudpilot.dev';

function deployment(name: string, annotations: Record<string, string>): string {
  const notes = Object.entries(annotations)
    .map(([k, v]) => `    ${SIM}/${k}: "${v}"`)
    .join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  annotations:
${notes || `    ${SIM}/protocol: "http"`}
spec:
  replicas: 2
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: app, image: registry.example/shop/${name}:1 }]
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${ns} }
spec:
  selector: { app: ${name} }
  ports: [{ name: http, port: 80 }]
`;
}

/** The shop: the call graph the graph must equal, and the behaviour the signals must equal. */
function shop(): string {
  return [
    deployment('frontend', { 'ingress-rps': '10', calls: `checkout.${ns}=12,ghost.${ns}=2` }),
    deployment('checkout', { calls: `payments.${ns}=20,inventory.${ns}=5` }),
    deployment('payments', {
      'error-ratio': '0.08',
      'client-error-ratio': '0.02',
      'latency-ms': 'p50=20,p95=80,p99=150',
    }),
    deployment('inventory', { protocol: 'grpc', 'error-ratio': '0.05' }),
    // A Service whose selector matches no pod: its callers see 503 UH, destination unknown.
    `apiVersion: v1
kind: Service
metadata: { name: ghost, namespace: ${ns} }
spec:
  selector: { app: nobody }
  ports: [{ name: http, port: 80 }]
`,
  ].join('---\n');
}

const api = (path: string) =>
  t.http().get(`/api/v1/clusters/tel/telemetry/${path}`).set(bearer(ADMIN_TOKEN));

async function services(query = ''): Promise<Record<string, any>> {
  const res = await api(`services?namespace=${ns}&windowSeconds=${WINDOW}${query}`);
  expect(res.status).toBe(200);
  expect(res.body.data.telemetry).toMatchObject({ state: 'ok', error: null });
  return res.body.data;
}

/** actual within `tolerance` (relative) of expected; the message names both. */
function expectNear(actual: number, expected: number, tolerance = 0.05): void {
  expect({ actual, expected, near: near(expected, tolerance)(actual) }).toEqual({
    actual,
    expected,
    near: true,
  });
}

const byName = (items: any[], name: string) => items.find((i) => i.name === name);
const destination = (service: string, extra = '') =>
  `reporter="destination",destination_service_namespace="${ns}",destination_service_name="${service}"${extra}`;
const oneValue = async (expr: string) => (await promQuery(expr))[0]?.value ?? NaN;

beforeAll(async () => {
  ns = createNamespace('tel');
  kubectlOk('admin', ['apply', '-f', '-'], { input: shop() });
  kubectlOk('admin', ['-n', ns, 'rollout', 'status', 'deployment', '--timeout=60s']);
  t = await startServer({
    CLOUDPILOT_ALLOW_PLAIN_HTTP_LOOPBACK: 'true',
    CLOUDPILOT_TELEMETRY_QUERY_TIMEOUT_SECONDS: '10',
  });
  await register(t, 'tel');
  const put = await t
    .http()
    .put('/api/v1/clusters/tel/telemetry/source')
    .set(bearer(ADMIN_TOKEN))
    .send({ type: 'url', url: testPrometheus.url });
  expect(put.status).toBe(200);
  // The window is full once the test's own query sees the configured rates.
  await untilPromValue(`sum(rate(istio_requests_total{${destination('payments')}}[${WINDOW}s]))`, {
    accept: near(20, 0.02),
    timeoutMs: 90_000,
  });
  await untilPromValue(
    `sum(rate(istio_requests_total{reporter="source",source_workload_namespace="${ns}",destination_service_name="ghost"}[${WINDOW}s]))`,
    { accept: near(2, 0.02), timeoutMs: 30_000 },
  );
  // Calls made while a Service had no ready pod yet (503 UH, protocol http) must have left the
  // window: only the ghost Service, which never has one, answers UH from then on.
  await untilPromValue(
    `sum(rate(istio_requests_total{reporter="source",source_workload_namespace="${ns}",response_flags="UH",destination_service_name!="ghost"}[${WINDOW}s])) or vector(0)`,
    { accept: (v) => v === 0, timeoutMs: 90_000 },
  );
}, 180_000);

afterAll(async () => {
  await t?.close();
  if (ns) deleteNamespace(ns);
});

describe('golden signals', () => {
  it('equal what the simulator was told, within 5 %, and what the test reads with its own PromQL', async () => {
    const data = await services();
    const payments = byName(data.items, 'payments');
    expectNear(payments.inbound.requestsPerSecond, 20);
    expectNear(payments.inbound.errorRatio5xx, 0.08);
    expectNear(payments.inbound.errorRatio4xx, 0.02);
    expectNear(payments.inbound.latencyMs.p50, 20);
    expectNear(payments.inbound.latencyMs.p95, 80);
    expectNear(payments.inbound.latencyMs.p99, 150);
    const own5xx = await oneValue(
      `sum(rate(istio_requests_total{${destination('payments', ',response_code=~"5.."')}}[${WINDOW}s])) / sum(rate(istio_requests_total{${destination('payments')}}[${WINDOW}s]))`,
    );
    expectNear(payments.inbound.errorRatio5xx, own5xx);
    const ownP95 = await oneValue(
      `histogram_quantile(0.95, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${destination('payments')}}[${WINDOW}s])))`,
    );
    expectNear(payments.inbound.latencyMs.p95, ownP95);

    const inventory = byName(data.items, 'inventory');
    expect(inventory.inbound.protocols).toEqual(['grpc']);
    expectNear(inventory.inbound.grpcErrorRatio, 0.05);
    expect(inventory.inbound.errorRatio5xx).toBe(0);
    expectNear(byName(data.items, 'checkout').inbound.requestsPerSecond, 12);
    expectNear(byName(data.items, 'frontend').inbound.requestsPerSecond, 10);
    expect(byName(data.items, 'ghost').inbound.errorRatio5xx).toBe(1);
  });

  it('health follows Kiali tolerances, ordered worst first', async () => {
    const data = await services();
    const health = Object.fromEntries(data.items.map((i: any) => [i.name, i.health.status]));
    expect(health).toEqual({
      ghost: 'failure',
      payments: 'degraded',
      inventory: 'degraded',
      checkout: 'healthy',
      frontend: 'healthy',
    });
    expect(data.items.map((i: any) => i.name).slice(0, 1)).toEqual(['ghost']);
    const filtered = await services('&health=degraded&limit=1');
    expect(filtered.total).toBe(2);
    expect(filtered.items).toHaveLength(1);
  });

  it('workloads have inbound and outbound signals', async () => {
    const res = await api(`workloads?namespace=${ns}&windowSeconds=${WINDOW}`);
    const checkout = byName(res.body.data.items, 'checkout');
    expectNear(checkout.inbound.requestsPerSecond, 12);
    expectNear(checkout.outbound.requestsPerSecond, 25);
    expectNear(byName(res.body.data.items, 'frontend').outbound.errorRatio5xx, 2 / 14);
  });

  it('costs a constant number of PromQL queries, whatever the scope', async () => {
    const cluster = (await api(`services?windowSeconds=${WINDOW}&limit=500`)).body.data;
    const one = await services();
    expect(cluster.total).toBeGreaterThan(one.total - 1);
    expect([cluster.telemetry.queries, one.telemetry.queries]).toEqual([2, 2]);
    const workloads = (await api(`workloads?windowSeconds=${WINDOW}`)).body.data;
    expect(workloads.telemetry.queries).toBe(4);
  });
});

describe('shared evaluations', () => {
  it('concurrent requests of one view share one evaluation and say so', async () => {
    // A window no other test asks for, so nothing is shared from before.
    const path = `services?namespace=${ns}&windowSeconds=${WINDOW + 7}`;
    const answers = await Promise.all([1, 2, 3, 4].map(() => api(path)));
    const states = answers.map((res) => res.body.data.telemetry);
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200]);
    expect(states.filter((s) => s.cacheAgeMs === undefined)).toHaveLength(1);
    for (const s of states) expect(s).toMatchObject({ state: 'ok', queries: 2 });
    const items = answers.map((res) => JSON.stringify(res.body.data.items));
    expect(new Set(items).size).toBe(1);
    // Another view or filter is its own evaluation.
    const other = await api(`services?windowSeconds=${WINDOW + 7}`);
    expect(other.body.data.telemetry.cacheAgeMs).toBeUndefined();
  });
});

describe('the service graph', () => {
  it("has exactly the configured call graph's edges, with rate, error %, p95 and mTLS share", async () => {
    const res = await api(`graph?namespace=${ns}&windowSeconds=${WINDOW}&format=mermaid`);
    expect(res.status).toBe(200);
    const { edges, nodes, mermaid, telemetry } = res.body.data;
    expect(telemetry.queries).toBe(4);
    const w = (name: string) => `workload:${ns}/${name}`;
    const s = (name: string) => `service:${ns}/${name}`;
    const calls = edges
      .filter((e: any) => e.kind === 'call')
      .map((e: any) => `${e.source} -> ${e.target}`)
      .sort();
    expect(calls).toEqual(
      [
        `unknown -> ${s('frontend')}`,
        `${w('checkout')} -> ${s('inventory')}`,
        `${w('checkout')} -> ${s('payments')}`,
        `${w('frontend')} -> ${s('checkout')}`,
        `${w('frontend')} -> ${s('ghost')}`,
      ].sort(),
    );
    const routes = edges
      .filter((e: any) => e.kind === 'route')
      .map((e: any) => `${e.source} -> ${e.target}`)
      .sort();
    expect(routes).toEqual(
      ['checkout', 'frontend', 'inventory', 'payments'].map((n) => `${s(n)} -> ${w(n)}`).sort(),
    );
    const pay = edges.find((e: any) => e.source === w('checkout') && e.target === s('payments'));
    expectNear(pay.requestsPerSecond, 20);
    expectNear(pay.errorPercent, 8);
    expectNear(pay.p95Ms, 80);
    expect(pay).toMatchObject({ protocol: 'http', mtlsPercent: 100 });
    const inv = edges.find((e: any) => e.target === s('inventory'));
    expect(inv.protocol).toBe('grpc');
    expect(edges.find((e: any) => e.source === 'unknown').mtlsPercent).toBe(0);
    expect(nodes.map((n: any) => n.type).sort()).toContain('unknown');
    expect(mermaid).toMatch(/^flowchart LR\n/);
  });
});

describe('the assistant tools', () => {
  const run = (name: string, args: object) => {
    const runner = t.app.get(ToolRunner);
    const ctx = {
      clusterId: 'tel',
      role: 'viewer' as const,
      scope: new AccessScope(everywhere('viewer')),
      signal: new AbortController().signal,
      sessionId: null,
      owner: 'test',
      via: 'assistant' as const,
    };
    return runner.run(TOOL_TABLE, name, JSON.stringify(args), ctx, t.app.get(ToolDepsSource).deps);
  };

  it('service_health, service_graph and query_metrics answer with numbers, summarised', async () => {
    const health = JSON.parse(
      (await run('service_health', { namespace: ns, name: 'payments', windowSeconds: WINDOW }))
        .content,
    );
    expect(health.items[0]).toMatchObject({ name: 'payments', health: 'degraded' });
    expectNear(health.items[0].errorPercent5xx, 8);
    const graph = JSON.parse(
      (await run('service_graph', { namespace: ns, windowSeconds: WINDOW })).content,
    );
    expect(graph.edges[0].target).toBe(`service:${ns}/ghost`);
    const metrics = JSON.parse(
      (
        await run('query_metrics', {
          query: `sum by (destination_service_name) (rate(istio_requests_total{reporter="destination",destination_service_namespace="${ns}"}[${WINDOW}s]))`,
          rangeMinutes: 2,
          limit: 2,
        })
      ).content,
    );
    expect(metrics.telemetry.state).toBe('ok');
    expect(metrics.data).toMatchObject({ kind: 'range', seriesCount: 4 });
    expect(metrics.data.series).toHaveLength(2);
    expect(metrics.data.series[0].points.length).toBeLessThanOrEqual(13);
    const refused = await run('query_metrics', { query: 'sum(' });
    expect(JSON.parse(refused.content).telemetry.error.code).toBe('PROMETHEUS_BAD_QUERY');
  });
});

describe('health at run time', () => {
  /** Polls until the health is `status` for the reasons `codes`: the window forgets slowly. */
  async function untilHealth(name: string, status: string, codes: string[] = []): Promise<any> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const item = byName((await services()).items, name);
      const reasons = item?.health.reasons.map((r: any) => r.code) ?? [];
      if (item?.health.status === status && reasons.join() === codes.join()) return item;
      if (Date.now() > deadline)
        throw new Error(`${name} never became ${status}: ${JSON.stringify(item?.health)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  it('follows the tolerances when the error ratio changes', async () => {
    const annotate = (ratio: string, client = '0') =>
      kubectlOk('admin', [
        '-n',
        ns,
        'annotate',
        'deployment/payments',
        '--overwrite',
        `${SIM}/error-ratio=${ratio}`,
        `${SIM}/client-error-ratio=${client}`,
      ]);
    annotate('0.15');
    const failing = await untilHealth('payments', 'failure', ['5xx']);
    expect(failing.health.reasons[0]).toMatchObject({ code: '5xx', status: 'failure' });
    expect(failing.health.reasons[0].percent).toBeGreaterThan(10);
    // 15 % client errors: degraded (from 10 %), not failure (above 20 %), once 5xx left the window.
    annotate('0', '0.15');
    const clientErrors = await untilHealth('payments', 'degraded', ['4xx']);
    expectNear(clientErrors.health.reasons[0].percent, 15);
    annotate('0', '0');
    await untilHealth('payments', 'healthy');
  }, 300_000);
});

describe('live usage in the overview', () => {
  it('comes from Prometheus (cAdvisor) when metrics.k8s.io is absent', async () => {
    const expr = 'sum(rate(container_cpu_usage_seconds_total{container!="",container!="POD"}[2m]))';
    const deadline = Date.now() + 60_000;
    let usage: number | null = null;
    while (usage === null && Date.now() < deadline) {
      const res = await t.http().get('/api/v1/clusters/tel/overview').set(bearer(ADMIN_TOKEN));
      usage = res.body.data.cpu.usage;
      if (usage === null) await new Promise((r) => setTimeout(r, 1000));
    }
    // The reading is up to its refresh old, and the cluster-wide rate moves while other suites'
    // pods start and stop on the shared cluster: it must match the rate at one instant of the
    // last 30 s, each read from Prometheus here.
    const at = Date.now() / 1000;
    const recent = await Promise.all(
      Array.from({ length: 16 }, (_, i) => promQuery(expr, at - 2 * i)),
    );
    const values = recent.map((r) => r[0]?.value ?? NaN).filter((v) => !Number.isNaN(v));
    const closest = values.reduce(
      (best, v) => (Math.abs(v - usage!) < Math.abs(best - usage!) ? v : best),
      Number.POSITIVE_INFINITY,
    );
    expectNear(usage as number, closest, 0.1);
  }, 90_000);
});
