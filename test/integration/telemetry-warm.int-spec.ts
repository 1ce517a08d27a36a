import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { GraphService } from '../../src/telemetry/graph.service';
import { itemsOfNamespace } from '../../src/telemetry/namespace-views';
import { PrometheusConnections } from '../../src/telemetry/prometheus-connections';
import { graphOf } from '../../src/telemetry/service-graph';
import { SignalsService } from '../../src/telemetry/signals.service';
import type { Queries } from '../../src/telemetry/telemetry-runner';
import { ViewWarmer } from '../../src/telemetry/view-warmer';
import { near, testPrometheus, untilPromValue } from '../support/prometheus';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';

/**
 * A namespace's views cut from the cluster-wide ones, and the job that keeps the views in use
 * warm, against the real Prometheus of the test cluster scraping the telemetry simulator.
 */
const WINDOW = 30;
/** Windows no other suite asks for, so nothing is shared from before. */
const WARM_WINDOW = 41;
const TIMEOUT_S = 3;
const CACHE_S = 2;
const SIM = 'sim.cloudpilot.dev';
let ns: string;
let t: TestApp;
let clusterId: string;
let silent: Server;
const sockets: Socket[] = [];

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
${notes}
spec:
  replicas: 1
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

const api = (path: string) => t.http().get(`/api/v1/clusters/${path}`).set(bearer(ADMIN_TOKEN));

async function source(cluster: string, url: string): Promise<void> {
  const res = await t
    .http()
    .put(`/api/v1/clusters/${cluster}/telemetry/source`)
    .set(bearer(ADMIN_TOKEN))
    .send({ type: 'url', url });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  ns = createNamespace('telwarm');
  const shop = [
    deployment('frontend', { 'ingress-rps': '6', calls: `checkout.${ns}=8` }),
    deployment('checkout', { calls: `payments.${ns}=10` }),
    deployment('payments', { 'error-ratio': '0.1', 'latency-ms': 'p50=20,p95=80,p99=150' }),
  ].join('---\n');
  kubectlOk('admin', ['apply', '-f', '-'], { input: shop });
  kubectlOk('admin', ['-n', ns, 'rollout', 'status', 'deployment', '--timeout=60s']);
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t = await startServer({
    CLOUDPILOT_ALLOW_PLAIN_HTTP_LOOPBACK: 'true',
    CLOUDPILOT_TELEMETRY_QUERY_TIMEOUT_SECONDS: String(TIMEOUT_S),
    CLOUDPILOT_TELEMETRY_VIEW_CACHE_SECONDS: String(CACHE_S),
    CLOUDPILOT_TELEMETRY_WARM_WINDOWS: String(WARM_WINDOW),
    // The test is the job's clock (warmNow); its timer would tick only after the suite.
    CLOUDPILOT_TELEMETRY_WARM_INTERVAL_SECONDS: '3600',
  });
  clusterId = (await register(t, 'telwarm')).id;
  await register(t, 'telwarm-stuck');
  await source('telwarm', testPrometheus.url);
  const payments = `reporter="destination",destination_service_namespace="${ns}",destination_service_name="payments"`;
  await untilPromValue(`sum(rate(istio_requests_total{${payments}}[${WINDOW}s]))`, {
    accept: near(10, 0.02),
    timeoutMs: 90_000,
  });
  // Calls made before a Service had a ready pod (503 UH) must have left the window.
  await untilPromValue(
    `sum(rate(istio_requests_total{reporter="source",source_workload_namespace="${ns}",response_flags="UH"}[${WINDOW}s])) or vector(0)`,
    { accept: (v) => v === 0, timeoutMs: 90_000 },
  );
}, 180_000);

afterAll(async () => {
  await t?.close();
  for (const socket of sockets) socket.destroy();
  silent?.close();
  if (ns) deleteNamespace(ns);
});

describe("a namespace's views cut from the cluster-wide evaluation", () => {
  it('equal the namespace’s own queries at the same instant, for services, workloads and the graph', async () => {
    const client = await t.app.get(PrometheusConnections).client(clusterId);
    const at = new Date(Date.now() - 1000);
    const q: Queries = {
      instant: (promql) => client!.instant(promql, at),
      histogram: (promql) => client!.histogram(promql, at),
      range: () => Promise.reject(new Error('not used')),
    };
    const signals = t.app.get(SignalsService);
    for (const scope of ['service', 'workload'] as const) {
      const own = await signals.collect(q, scope, WINDOW, ns);
      expect([scope, own.map((i) => i.name).sort()]).toEqual([
        scope,
        ['checkout', 'frontend', 'payments'],
      ]);
      const whole = await signals.collect(q, scope, WINDOW);
      expect(whole.length).toBeGreaterThanOrEqual(own.length);
      expect(itemsOfNamespace(whole, ns)).toEqual(own);
    }
    const graphs = t.app.get(GraphService);
    const own = await graphs.collect(q, WINDOW, ns);
    expect(own.edges.filter((e) => e.kind === 'call')).toHaveLength(3);
    const whole = await graphs.sharedView(WINDOW).view(q);
    // What a namespace read is served: its part of the evaluation's index, built alone.
    expect(graphOf(whole.byNamespace!.get(ns)!)).toEqual(own);
  });

  it('over HTTP: cut while the cluster-wide answer is shared, its own queries otherwise', async () => {
    const window = WINDOW + 3;
    const alone = (await api(`telwarm/telemetry/services?namespace=${ns}&windowSeconds=${window}`))
      .body.data;
    expect(alone.telemetry).toMatchObject({ state: 'ok', queries: 2 });
    expect(alone.telemetry.derivedFromCluster).toBeUndefined();
    const cluster = (await api(`telwarm/telemetry/services?windowSeconds=${window}&limit=500`)).body
      .data;
    const cut = (await api(`telwarm/telemetry/services?namespace=${ns}&windowSeconds=${window}`))
      .body.data;
    expect(cut.telemetry).toMatchObject({ state: 'ok', queries: 2, derivedFromCluster: true });
    expect(cut.telemetry.cacheAgeMs).toEqual(expect.any(Number));
    // The same evaluation: the cluster's items of the namespace, exactly.
    expect(cut.items).toEqual(cluster.items.filter((i: any) => i.namespace === ns));
    const one = (
      await api(`telwarm/telemetry/services?namespace=${ns}&name=payments&windowSeconds=${window}`)
    ).body.data;
    expect(one.items.map((i: any) => i.name)).toEqual(['payments']);
    expect(one.telemetry.derivedFromCluster).toBe(true);
    await api(`telwarm/telemetry/graph?windowSeconds=${window}`);
    const graph = (await api(`telwarm/telemetry/graph?namespace=${ns}&windowSeconds=${window}`))
      .body.data;
    expect(graph.telemetry).toMatchObject({ state: 'ok', queries: 4, derivedFromCluster: true });
    expect(graph.edges.filter((e: any) => e.kind === 'call')).toHaveLength(3);
  });
});

describe('keeping the views in use warm', () => {
  it('warms the configured window, so its first read (cluster or namespace) waits for nothing', async () => {
    const [warm] = (await t.app.get(ViewWarmer).warmNow()).filter(
      (e) => e.cluster.name === 'telwarm',
    );
    expect(warm).toMatchObject({ data: { stopped: null } });
    expect((warm as any).data.renewed.slice(0, 2)).toEqual([
      `services|${WARM_WINDOW}`,
      `graph|${WARM_WINDOW}`,
    ]);
    const services = (await api(`telwarm/telemetry/services?windowSeconds=${WARM_WINDOW}`)).body
      .data;
    expect(services.telemetry).toMatchObject({ state: 'ok', queries: 2 });
    expect(services.telemetry.cacheAgeMs).toEqual(expect.any(Number));
    const graph = (
      await api(`telwarm/telemetry/graph?namespace=${ns}&windowSeconds=${WARM_WINDOW}`)
    ).body.data;
    expect(graph.telemetry).toMatchObject({ state: 'ok', derivedFromCluster: true });
  });

  it('keeps a view read lately warm; a silent Prometheus costs its own cluster one deadline, no other', async () => {
    await source('telwarm-stuck', `http://127.0.0.1:${(silent.address() as AddressInfo).port}`);
    const window = WARM_WINDOW + 2;
    const read = await api(`telwarm/telemetry/workloads?windowSeconds=${window}`);
    expect(read.body.data.telemetry.cacheAgeMs).toBeUndefined();
    // Past its shared time, a view is evaluated again by the job, not by its next reader.
    await new Promise((r) => setTimeout(r, CACHE_S * 1000 + 100));
    const started = Date.now();
    const tick = await t.app.get(ViewWarmer).warmNow();
    const elapsed = Date.now() - started;
    const of = (name: string) => tick.find((e) => e.cluster.name === name);
    expect(of('telwarm-stuck')).toMatchObject({
      data: { renewed: [], stopped: 'error' },
    });
    expect(of('telwarm')).toMatchObject({ data: { stopped: null } });
    expect((of('telwarm') as any).data.renewed).toContain(`workloads|${window}`);
    // One deadline (query timeout + 1 s of slack) for the silent one, the others meanwhile.
    expect(elapsed).toBeLessThan(TIMEOUT_S * 1000 + 1000 + 2000);
    const again = (await api(`telwarm/telemetry/workloads?windowSeconds=${window}`)).body.data;
    expect(again.telemetry.cacheAgeMs).toEqual(expect.any(Number));
    const stuck = (await api(`telwarm-stuck/telemetry/services?windowSeconds=${WARM_WINDOW}`)).body
      .data;
    expect(stuck.telemetry.error.code).toBe('PROMETHEUS_TIMEOUT');
  }, 30_000);
});
