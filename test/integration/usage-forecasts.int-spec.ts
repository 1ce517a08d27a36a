import { HistorySampler } from '../../src/history/history.sampler';
import { promQuery, testPrometheus, untilPromValue } from '../support/prometheus';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';

/**
 * Usage forecasts against the real Prometheus of the test cluster scraping the telemetry
 * simulator (docs/testing.md): workloads whose working set or volume grows at a rate the test
 * sets by annotation, on fake nodes of their own, and GET …/forecasts compared with that truth.
 */
const VOLUME_WINDOW_S = 20;
const SIM = 'sim.cloudpilot.dev';
const GI = 1024 ** 3;
const MI = 1024 ** 2;
const KI = 1024;

let ns: string;
let t: TestApp;
const suffix = Math.random().toString(36).slice(2, 7);
/** Fake nodes of this suite only (tainted), so a node's usage is exactly the pods bound to it. */
const GROW_NODE = `usage-grow-${suffix}`;
const FLAT_NODE = `usage-flat-${suffix}`;

interface ForecastJson {
  code: string;
  scope: string;
  namespace: string | null;
  name: string | null;
  container?: string;
  threshold: number | null;
  current: number | null;
  crossesAt: string | null;
  withinHorizon: boolean;
  confidence: number;
  method: string | null;
  reason: string | null;
  points: Array<{ at: string; value: number }>;
}

function node(name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { type: 'kwok', 'kubernetes.io/hostname': name },
    },
    // Only the pods bound here by name run here: the scheduler keeps the others away.
    spec: { taints: [{ key: 'cloudpilot.dev/usage-test', value: 'only', effect: 'NoSchedule' }] },
    status: {
      allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
      capacity: { cpu: '2', memory: '4Gi', pods: '110' },
    },
  });
}

function notes(annotations: Record<string, string>): string {
  const lines = Object.entries(annotations).map(([k, v]) => `    ${SIM}/${k}: "${v}"`);
  return lines.length ? `  annotations:\n${lines.join('\n')}` : '';
}

function deployment(
  name: string,
  annotations: Record<string, string>,
  { nodeName, memoryLimit }: { nodeName?: string; memoryLimit?: string } = {},
): string {
  const resources = memoryLimit ? `, resources: { limits: { memory: ${memoryLimit} } }` : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
${notes(annotations)}
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
${nodeName ? `      nodeName: ${nodeName}\n` : ''}      containers: [{ name: app, image: registry.example/usage/${name}:1${resources} }]
`;
}

/** A bare pod bound to a fake node mounting its own claim (no scheduler, no volume binding). */
function volumePod(name: string, annotations: Record<string, string>): string {
  return `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: ${name}, namespace: ${ns} }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 10Gi } }
---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
${notes(annotations)}
spec:
  nodeName: ${FLAT_NODE}
  containers: [{ name: app, image: registry.example/usage/${name}:1 }]
  volumes: [{ name: data, persistentVolumeClaim: { claimName: ${name} } }]
`;
}

function workloads(): string {
  return [
    // 1 GiB growing 4 MiB/s on a 4 GiB node: allocatable in about 13 minutes.
    deployment('grower', { memory: '1Gi', 'memory-growth': '4Mi/s' }, { nodeName: GROW_NODE }),
    // The look-alike: a node whose pods use a steady gigabyte.
    deployment('steady', { memory: '1Gi' }, { nodeName: FLAT_NODE }),
    // 20 MiB growing 100 KiB/s toward a 100 MiB limit: the OOM kill in about 13.7 minutes.
    deployment('leaky', { memory: '20Mi', 'memory-growth': '100Ki/s' }, { memoryLimit: '100Mi' }),
    // The look-alike: 60 % of its limit, not growing.
    deployment('memok', { memory: '60Mi' }, { memoryLimit: '100Mi' }),
    // 5 GiB filling 2 MiB/s toward the 9 GiB line: in about 34 minutes.
    volumePod('filling', { 'volume-used': '5Gi', 'volume-fill': '2Mi/s' }),
    // 8 GiB to the 9 GiB line at 1 KiB/s: about ninety-seven days, beyond the 30-day horizon.
    volumePod('slowfill', { 'volume-used': '1Gi', 'volume-fill': '1Ki/s' }),
  ].join('---\n');
}

async function forecasts(): Promise<{ telemetry: Record<string, any>; items: ForecastJson[] }> {
  const res = await t
    .http()
    .get('/api/v1/clusters/usage/forecasts?windowHours=1&horizonDays=30')
    .set(bearer(ADMIN_TOKEN));
  if (res.status !== 200) throw new Error(`forecasts: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

const find = (items: ForecastJson[], code: string, name: string, namespace?: string) =>
  items.find(
    (f) => f.code === code && f.name === name && (!namespace || f.namespace === namespace),
  );

/** Polls GET /forecasts until `ok` holds for the forecast found; returns it. */
async function until(
  code: string,
  name: string,
  ok: (f: ForecastJson) => boolean,
  timeoutMs = 60_000,
): Promise<ForecastJson> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const f = find((await forecasts()).items, code, name);
    if (f && ok(f)) return f;
    if (Date.now() > deadline) throw new Error(`${code} ${name}: ${JSON.stringify(f)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** How far a stated crossing is from the truth, as a share of the time left. */
function errorOf(f: ForecastJson, expected: number, now: number): Record<string, unknown> {
  const error = Math.abs(Date.parse(f.crossesAt!) - expected) / (expected - now);
  process.stderr.write(
    `${f.code} ${f.name}: crosses ${f.crossesAt}, truth ${new Date(expected).toISOString()}, ` +
      `${((expected - now) / 1000).toFixed(0)} s ahead, error ${(error * 100).toFixed(2)} %\n`,
  );
  return { crossesAt: f.crossesAt, expected: new Date(expected).toISOString(), error };
}

/** Queries Prometheus has answered (instant and range), from its own /metrics (itself no query). */
async function promQueriesServed(): Promise<number> {
  const text = await (await fetch(`${testPrometheus.url}/metrics`)).text();
  return text
    .split('\n')
    .filter(
      (l) =>
        l.startsWith('prometheus_http_requests_total{') &&
        /handler="\/api\/v1\/query(_range)?"/.test(l),
    )
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

beforeAll(async () => {
  kubectlOk('admin', ['apply', '-f', '-'], { input: node(GROW_NODE) });
  kubectlOk('admin', ['apply', '-f', '-'], { input: node(FLAT_NODE) });
  kubectlOk('admin', ['wait', '--for=condition=Ready', 'node', GROW_NODE, FLAT_NODE]);
  ns = createNamespace('usage');
  kubectlOk('admin', ['apply', '-f', '-'], { input: workloads() });
  kubectlOk('admin', ['-n', ns, 'rollout', 'status', 'deployment', '--timeout=60s']);
  kubectlOk('admin', ['-n', ns, 'wait', '--for=condition=Ready', 'pod', '--all', '--timeout=60s']);
  t = await startServer({
    CLOUDPILOT_ALLOW_PLAIN_HTTP_LOOPBACK: 'true',
    CLOUDPILOT_BEHAVIOUR_VOLUME_WINDOW_SECONDS: String(VOLUME_WINDOW_S),
    // The scheduled jobs stay out of the way: the test samples the history itself.
    CLOUDPILOT_MONITOR_REFRESH_INTERVAL_SECONDS: '3600',
    CLOUDPILOT_BEHAVIOUR_INTERVAL_SECONDS: '3600',
  });
  await register(t, 'usage');
}, 240_000);

afterAll(async () => {
  await t?.close();
  if (ns) deleteNamespace(ns);
  kubectlOk('admin', ['delete', 'node', GROW_NODE, FLAT_NODE, '--ignore-not-found']);
});

describe('usage forecasts from Prometheus', () => {
  it('without a Prometheus the usage forecasts are absent and say why; the others are listed', async () => {
    const answer = await forecasts();
    expect(answer.telemetry).toMatchObject({ state: 'notConfigured', queries: 0 });
    expect(answer.items.map((f) => f.code)).toContain('FORECAST_POD_CAPACITY');
    expect(answer.items.filter((f) => f.code.includes('USAGE') || f.scope === 'pvc')).toEqual([]);
    const put = await t
      .http()
      .put('/api/v1/clusters/usage/telemetry/source')
      .set(bearer(ADMIN_TOKEN))
      .send({ type: 'url', url: testPrometheus.url });
    expect(put.status).toBe(200);
  });

  it("forecasts a node's memory usage reaching its allocatable within 10 % of the configured line", async () => {
    const rate = 4 * MI;
    const f = await until(
      'FORECAST_MEMORY_USAGE_SATURATION',
      GROW_NODE,
      (x) => x.crossesAt !== null && x.points.length >= 6,
      180_000,
    );
    const used = (
      await promQuery(
        `sum(container_memory_working_set_bytes{namespace="${ns}",pod=~"grower-.*",container!=""})`,
      )
    )[0].value;
    const now = Date.now();
    const fresh = find((await forecasts()).items, 'FORECAST_MEMORY_USAGE_SATURATION', GROW_NODE)!;
    const expected = now + ((4 * GI - used) / rate) * 1000;
    expect(f).toMatchObject({ scope: 'node', threshold: 4 * GI, method: 'linear' });
    expect(fresh.withinHorizon).toBe(true);
    expect(errorOf(fresh, expected, now).error).toBeLessThanOrEqual(0.1);
    // The cluster's forecast counts the same growth against the allocatable of every node.
    const cluster = (await forecasts()).items.find(
      (x) => x.code === 'FORECAST_MEMORY_USAGE_SATURATION' && x.scope === 'cluster',
    )!;
    expect(cluster.threshold).toBeGreaterThanOrEqual(8 * GI);
    expect(cluster.crossesAt).not.toBeNull();
  }, 240_000);

  it('a node whose pods use a steady amount has no crossing (the look-alike)', async () => {
    const f = await until(
      'FORECAST_MEMORY_USAGE_SATURATION',
      FLAT_NODE,
      (x) => x.points.length >= 6,
    );
    expect(f).toMatchObject({ crossesAt: null, withinHorizon: false });
    expect(['flat', 'decreasing']).toContain(f.reason);
  }, 90_000);

  it("forecasts a workload's working set reaching its memory limit within 10 % of the configured line", async () => {
    const rate = 100 * KI;
    // Once the trend's window holds only the growth, the forecast must be near the truth.
    const f = await until(
      'FORECAST_MEMORY_LIMIT',
      'Deployment/leaky',
      (x) => x.crossesAt !== null && x.points.length >= VOLUME_WINDOW_S / 2,
    );
    expect(f).toMatchObject({
      scope: 'workload',
      namespace: ns,
      container: 'app',
      threshold: 100 * MI,
    });
    const workingSet = (
      await promQuery(
        `max(container_memory_working_set_bytes{namespace="${ns}",pod=~"leaky-.*",container="app"})`,
      )
    )[0].value;
    const now = Date.now();
    const fresh = find((await forecasts()).items, 'FORECAST_MEMORY_LIMIT', 'Deployment/leaky', ns)!;
    const expected = now + ((100 * MI - workingSet) / rate) * 1000;
    expect(errorOf(fresh, expected, now).error).toBeLessThanOrEqual(0.1);
    expect(fresh.withinHorizon).toBe(true);
    // The look-alike: 60 % of the same limit, not growing.
    const memok = find((await forecasts()).items, 'FORECAST_MEMORY_LIMIT', 'Deployment/memok', ns);
    expect(memok).toMatchObject({ crossesAt: null, reason: 'not growing', current: 60 * MI });
  }, 120_000);

  it('states the volume crossing the behaviour finding states, within 10 % of the line; a volume months from full is beyond the horizon', async () => {
    const rate = 2 * MI;
    const used = (
      await promQuery(
        `kubelet_volume_stats_used_bytes{namespace="${ns}",persistentvolumeclaim="filling"}`,
      )
    )[0].value;
    const now = Date.now();
    const { items } = await forecasts();
    const f = find(items, 'FORECAST_PVC_FULL', 'filling', ns)!;
    const expected = now + ((0.9 * 10 * GI - used) / rate) * 1000;
    expect(f).toMatchObject({ scope: 'pvc', threshold: 0.9 * 10 * GI, withinHorizon: true });
    expect(errorOf(f, expected, now).error).toBeLessThanOrEqual(0.1);
    const slow = find(items, 'FORECAST_PVC_FULL', 'slowfill', ns)!;
    expect(slow.withinHorizon).toBe(false);
    expect(Date.parse(slow.crossesAt!) - now).toBeGreaterThan(60 * 86_400_000);
  }, 90_000);

  it("sends the same queries whatever the number of workloads, by Prometheus's own counter", async () => {
    const once = async () => {
      const served = await promQueriesServed();
      const { telemetry } = await forecasts();
      return { counted: telemetry.queries, served: (await promQueriesServed()) - served };
    };
    // The harness's Prometheus is shared: a suite running beside this one (in CI, the other
    // worker) can query it during the answer, which only ever adds to the served count. So the
    // fewest served over a few answers is this answer's own; more queries per answer still fail.
    const perAnswer = async () => {
      let best = await once();
      for (let i = 0; i < 4 && best.served !== best.counted; i += 1) {
        const next = await once();
        if (next.served < best.served) best = next;
      }
      return best;
    };
    const before = await perAnswer();
    kubectlOk('admin', ['apply', '-f', '-'], {
      input: ['more1', 'more2', 'more3']
        .map((n) => deployment(n, { memory: '30Mi' }, { memoryLimit: '64Mi' }))
        .join('---\n'),
    });
    kubectlOk('admin', ['-n', ns, 'rollout', 'status', 'deployment', '--timeout=60s']);
    await untilPromValue(
      `count(container_memory_working_set_bytes{namespace="${ns}",pod=~"more.*",container="app"})`,
      { accept: (v) => v === 3 },
    );
    const after = await perAnswer();
    expect({ before, after }).toEqual({
      before: { counted: 9, served: 9 },
      after: { counted: 9, served: 9 },
    });
  }, 90_000);

  it('stores usage per namespace and per node, read from Prometheus, in the history', async () => {
    const sampler = t.app.get(HistorySampler);
    await untilPromValue(
      `sum(container_memory_working_set_bytes{namespace="${ns}",pod=~"steady-.*",container!=""})`,
    );
    expect(await sampler.sample()).toBeGreaterThan(0);
    const get = async (query: string) => {
      const res = await t
        .http()
        .get(`/api/v1/clusters/usage/history?${query}`)
        .set(bearer(ADMIN_TOKEN));
      expect(res.status).toBe(200);
      return res.body.data.points.at(-1).values as Record<string, number | null>;
    };
    const memory = async (pods: string) =>
      (
        await promQuery(
          `sum(container_memory_working_set_bytes{namespace="${ns}",container!="",pod=~"${pods}"})`,
        )
      )[0].value;
    const near = (stored: number | null, truth: number) =>
      expect({ stored, truth, near: Math.abs(stored! - truth) / truth < 0.1 }).toMatchObject({
        near: true,
      });
    const namespace = await get(`scope=namespace&namespace=${ns}`);
    near(namespace.usageMemory, await memory('.*'));
    expect(namespace.usageCpu).toBeGreaterThan(0);
    // The flat node runs exactly these.
    const flat = await get(`scope=node&name=${FLAT_NODE}`);
    near(flat.usageMemory, await memory('(steady|filling|slowfill).*'));
  }, 60_000);

  it('a Prometheus that does not answer is the usage source state as data; the other forecasts go on', async () => {
    const put = await t
      .http()
      .put('/api/v1/clusters/usage/telemetry/source')
      .set(bearer(ADMIN_TOKEN))
      .send({ type: 'url', url: 'http://127.0.0.1:9' });
    expect(put.status).toBe(200);
    const answer = await forecasts();
    expect(answer.telemetry).toMatchObject({
      state: 'error',
      error: { code: 'PROMETHEUS_UNREACHABLE' },
    });
    expect(answer.items.map((f) => f.code)).toContain('FORECAST_POD_CAPACITY');
    expect(answer.items.filter((f) => f.code.includes('USAGE') || f.scope === 'pvc')).toEqual([]);
  });
});
