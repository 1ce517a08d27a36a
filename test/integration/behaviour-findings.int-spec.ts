import { promQuery, testPrometheus, untilPromValue } from '../support/prometheus';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';

/**
 * Behaviour findings against the real Prometheus of the test cluster scraping the telemetry
 * simulator: the test changes what a workload does with `kubectl annotate` (the simulator's
 * contract, docs/testing.md) and watches GET …/diagnostics. Short windows (1 s scrape) stand in
 * for the production defaults.
 */
const INTERVAL_S = 6;
const WINDOW_S = 10;
const OFFSET_S = 30;
const VOLUME_WINDOW_S = 20;
/** Two evaluation intervals, and one scrape plus the diagnostics re-evaluation on top. */
const BUDGET_MS = 2 * INTERVAL_S * 1000 + 2000;
const SIM = 'sim.cloudpilot.dev';
const GI = 1024 ** 3;
const MI = 1024 ** 2;

let ns: string;
let t: TestApp;

interface FindingJson {
  code: string;
  severity: string;
  source: string;
  object: { kind: string; namespace: string; name: string };
  message: string;
  evidence: { fields: Record<string, any>; objects?: string[] };
}

function notes(annotations: Record<string, string>): string {
  const lines = Object.entries(annotations).map(([k, v]) => `    ${SIM}/${k}: "${v}"`);
  return lines.length ? `  annotations:\n${lines.join('\n')}` : '';
}

function deployment(name: string, annotations: Record<string, string>, memoryLimit = ''): string {
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
      containers: [{ name: app, image: registry.example/beh/${name}:1${resources} }]
`;
}

/** A bare pod bound to a KWOK node (no scheduler, no volume binding) mounting its own claim. */
function volumePod(name: string, size: string, annotations: Record<string, string>): string {
  return `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: ${name}, namespace: ${ns} }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: ${size} } }
---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
${notes(annotations)}
spec:
  nodeName: kwok-node-0
  containers: [{ name: app, image: registry.example/beh/${name}:1 }]
  volumes: [{ name: data, persistentVolumeClaim: { claimName: ${name} } }]
`;
}

function workloads(): string {
  const serving = { 'ingress-rps': '20' };
  return [
    deployment('errors', serving),
    deployment('clienterr', { ...serving, 'client-error-ratio': '0.05' }),
    deployment('slow', serving),
    deployment('traffic', serving),
    // Idle by design: ready pods, no caller ever.
    deployment('idle', {}),
    deployment('throttled', {}),
    deployment('memory', { memory: '20Mi' }, '100Mi'),
    deployment('memok', { memory: '60Mi' }, '100Mi'),
    deployment('leaky', { memory: '20Mi' }, '100Mi'),
    volumePod('filling', '10Gi', { 'volume-used': '5Gi' }),
    // 9 Gi to go at 1 KiB/s: about a hundred days, far beyond the seven-day horizon.
    volumePod('slowfill', '10Gi', { 'volume-used': '1Gi', 'volume-fill': '1Ki/s' }),
  ].join('---\n');
}

async function get(path: string): Promise<Record<string, any>> {
  const res = await t.http().get(path).set(bearer(ADMIN_TOKEN));
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

async function findings(): Promise<FindingJson[]> {
  return (await get(`/api/v1/clusters/beh/diagnostics?limit=500&namespace=${ns}`)).items;
}

const find = (items: FindingJson[], code: string, name: string) =>
  items.find((f) => f.code === code && f.object.name === name);

/** Polls diagnostics until the finding is there (or gone); returns it and the time it took. */
async function until(
  code: string,
  name: string,
  present: boolean,
  timeoutMs = BUDGET_MS + 20_000,
): Promise<{ finding: FindingJson | undefined; ms: number }> {
  const started = Date.now();
  for (;;) {
    const finding = find(await findings(), code, name);
    if (!!finding === present) return { finding, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `${code} ${name} still ${present ? 'absent' : 'present'} after ${timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function annotate(kind: string, name: string, ...pairs: string[]): void {
  kubectlOk('admin', [
    '-n',
    ns,
    'annotate',
    '--overwrite',
    `${kind}/${name}`,
    ...pairs.map((p) => `${SIM}/${p}`),
  ]);
}

/** Raised within two intervals of the change, resolved within two of its return. */
async function raisedThenResolved(
  code: string,
  name: string,
  change: () => void,
  back: () => void,
): Promise<FindingJson> {
  change();
  const raised = await until(code, name, true);
  expect({ code, ms: raised.ms, within: raised.ms <= BUDGET_MS }).toMatchObject({ within: true });
  back();
  const resolved = await until(code, name, false);
  expect({ code, ms: resolved.ms, within: resolved.ms <= BUDGET_MS }).toMatchObject({
    within: true,
  });
  return raised.finding!;
}

const inboundAll = () =>
  `istio_requests_total{reporter="destination",destination_workload_namespace="${ns}"}`;
const inbound = (name: string) =>
  `istio_requests_total{reporter="destination",destination_workload_namespace="${ns}",destination_workload="${name}"}`;

beforeAll(async () => {
  ns = createNamespace('beh');
  kubectlOk('admin', ['apply', '-f', '-'], { input: workloads() });
  kubectlOk('admin', ['-n', ns, 'rollout', 'status', 'deployment', '--timeout=60s']);
  kubectlOk('admin', ['-n', ns, 'wait', '--for=condition=Ready', 'pod', '--all', '--timeout=60s']);
  t = await startServer({
    CLOUDPILOT_ALLOW_PLAIN_HTTP_LOOPBACK: 'true',
    CLOUDPILOT_BEHAVIOUR_INTERVAL_SECONDS: String(INTERVAL_S),
    CLOUDPILOT_BEHAVIOUR_WINDOW_SECONDS: String(WINDOW_S),
    CLOUDPILOT_BEHAVIOUR_BASELINE_OFFSET_SECONDS: String(OFFSET_S),
    CLOUDPILOT_BEHAVIOUR_VOLUME_WINDOW_SECONDS: String(VOLUME_WINDOW_S),
    // The history tick reads usage from Prometheus too: kept out of the queries counted below.
    CLOUDPILOT_MONITOR_REFRESH_INTERVAL_SECONDS: '3600',
    // So would the job keeping the telemetry views warm (this suite reads none of them).
    CLOUDPILOT_TELEMETRY_WARM_INTERVAL_SECONDS: '0',
  });
  await register(t, 'beh');
  // Before a source is set, an evaluation finds nothing and says why, as data.
  await untilStatus((s) => s.telemetry?.state === 'notConfigured');
  const put = await t
    .http()
    .put('/api/v1/clusters/beh/telemetry/source')
    .set(bearer(ADMIN_TOKEN))
    .send({ type: 'url', url: testPrometheus.url });
  expect(put.status).toBe(200);
  // The baseline window (OFFSET_S back) holds the configured traffic of every serving workload.
  await untilPromValue(`sum(rate(${inbound('traffic')}[${WINDOW_S}s] offset ${OFFSET_S}s))`, {
    accept: (v) => v > 18,
    timeoutMs: 120_000,
  });
  await untilStatus((s) => s.telemetry?.state === 'ok');
}, 240_000);

afterAll(async () => {
  await t?.close();
  if (ns) deleteNamespace(ns);
});

/** The next evaluation after the one at `after` (the status route reads no Prometheus). */
function nextEvaluation(after?: string): Promise<Record<string, any>> {
  return untilStatus(
    (s) => s.telemetry?.state === 'ok' && (after === undefined || s.evaluatedAt !== after),
  ).then((s) => (after === undefined ? nextEvaluation(s.evaluatedAt) : s));
}

/** Instant queries Prometheus has answered, from its own /metrics (itself no query). */
async function promQueriesServed(): Promise<number> {
  const text = await (await fetch(`${testPrometheus.url}/metrics`)).text();
  return text
    .split('\n')
    .filter(
      (l) =>
        l.startsWith('prometheus_http_requests_total{') && l.includes('handler="/api/v1/query"'),
    )
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

async function untilStatus(ok: (s: Record<string, any>) => boolean): Promise<Record<string, any>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await get('/api/v1/clusters/beh/behaviour');
    if (ok(status)) return status;
    if (Date.now() > deadline) throw new Error(`behaviour status: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('behaviour findings', () => {
  it('an error ratio past the tolerance is BEHAVIOUR_ERROR_RATE with its numbers, costs health points, and resolves', async () => {
    annotate('deployment', 'errors', 'error-ratio=0.08');
    const raised = await until('BEHAVIOUR_ERROR_RATE', 'errors', true);
    expect(raised.ms).toBeLessThanOrEqual(BUDGET_MS);
    const f = raised.finding!;
    expect(f).toMatchObject({ severity: 'warning', source: 'telemetry' });
    expect(f.object).toMatchObject({ kind: 'Deployment', namespace: ns, name: 'errors' });
    expect(f.evidence.fields).toMatchObject({ errorClass: '5xx', windowSeconds: WINDOW_S });
    expect(f.evidence.fields.query).toContain('istio_requests_total');
    expect(f.evidence.fields.errorPercent).toBeGreaterThan(0.1);
    const health = await get('/api/v1/clusters/beh/health');
    const mine = health.namespaces.find((n: any) => n.namespace === ns);
    expect(mine.deductions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'BEHAVIOUR_ERROR_RATE', points: 5 }),
      ]),
    );
    annotate('deployment', 'errors', 'error-ratio=0');
    const resolved = await until('BEHAVIOUR_ERROR_RATE', 'errors', false);
    expect(resolved.ms).toBeLessThanOrEqual(BUDGET_MS);
  }, 90_000);

  it('a p95 four times its baseline is BEHAVIOUR_LATENCY_REGRESSION, resolved when latency returns', async () => {
    const f = await raisedThenResolved(
      'BEHAVIOUR_LATENCY_REGRESSION',
      'slow',
      () => annotate('deployment', 'slow', 'latency-ms=p50=60,p95=160,p99=300'),
      () => annotate('deployment', 'slow', 'latency-ms=p50=10,p95=40,p99=80'),
    );
    expect(f.evidence.fields).toMatchObject({ baselineOffsetSeconds: OFFSET_S });
    expect(f.evidence.fields.baselineP95Ms).toBeLessThan(60);
    expect(f.evidence.fields.p95Ms).toBeGreaterThan(2 * f.evidence.fields.baselineP95Ms);
    expect(f.evidence.fields.baselineQuery).toContain(`offset ${OFFSET_S}s`);
  }, 90_000);

  it('traffic stopping while pods are ready is BEHAVIOUR_TRAFFIC_DROP, resolved when it returns', async () => {
    const f = await raisedThenResolved(
      'BEHAVIOUR_TRAFFIC_DROP',
      'traffic',
      () => annotate('deployment', 'traffic', 'ingress-rps=0'),
      () => annotate('deployment', 'traffic', 'ingress-rps=20'),
    );
    expect(f.evidence.fields.baselineRequestsPerSecond).toBeGreaterThan(18);
    expect(f.evidence.fields.requestsPerSecond).toBeLessThanOrEqual(2);
  }, 90_000);

  it('CPU throttling is BEHAVIOUR_CPU_THROTTLING, resolved when it stops', async () => {
    const f = await raisedThenResolved(
      'BEHAVIOUR_CPU_THROTTLING',
      'throttled',
      () => annotate('deployment', 'throttled', 'cpu-throttle-ratio=0.6'),
      () => annotate('deployment', 'throttled', 'cpu-throttle-ratio=0'),
    );
    expect(f.object.kind).toBe('Deployment');
    expect(f.evidence.objects?.[0]).toMatch(/^throttled-.*\/app$/);
  }, 90_000);

  it('a working set at 95 % of the limit is BEHAVIOUR_MEMORY_NEAR_LIMIT, resolved when it shrinks', async () => {
    const f = await raisedThenResolved(
      'BEHAVIOUR_MEMORY_NEAR_LIMIT',
      'memory',
      () => annotate('deployment', 'memory', 'memory=95Mi'),
      () => annotate('deployment', 'memory', 'memory=20Mi'),
    );
    expect(f.evidence.fields.percent).toBeCloseTo(95, 0);
  }, 90_000);

  it('a volume filling is FORECAST_PVC_FULL, its crossing within 10 % of the line, resolved when filling stops', async () => {
    const rate = 10 * MI;
    annotate('pod', 'filling', 'volume-fill=10Mi/s');
    const raised = await until('FORECAST_PVC_FULL', 'filling', true);
    expect(raised.ms).toBeLessThanOrEqual(BUDGET_MS);
    // Once the trend's window holds only the filling, the forecast must be near the truth.
    await new Promise((resolve) => setTimeout(resolve, (VOLUME_WINDOW_S + INTERVAL_S + 2) * 1000));
    const used = (
      await promQuery(
        `kubelet_volume_stats_used_bytes{namespace="${ns}",persistentvolumeclaim="filling"}`,
      )
    )[0].value;
    const now = Date.now();
    const expected = now + ((0.9 * 10 * GI - used) / rate) * 1000;
    const f = find(await findings(), 'FORECAST_PVC_FULL', 'filling')!;
    expect(f.object).toMatchObject({ kind: 'PersistentVolumeClaim', name: 'filling' });
    const crossesAt = Date.parse(f.evidence.fields.crossesAt);
    const error = Math.abs(crossesAt - expected) / (expected - now);
    expect({ crossesAt: f.evidence.fields.crossesAt, error, within: error <= 0.1 }).toMatchObject({
      within: true,
    });
    annotate('pod', 'filling', 'volume-fill-');
    const resolved = await until('FORECAST_PVC_FULL', 'filling', false);
    expect(resolved.ms).toBeLessThanOrEqual(BUDGET_MS);
  }, 120_000);

  it('a growing working set is FORECAST_MEMORY_LIMIT, its crossing within 10 % of the limit, resolved when growth stops', async () => {
    const rate = 512 * 1024;
    annotate('deployment', 'leaky', 'memory-growth=512Ki/s');
    const raised = await until('FORECAST_MEMORY_LIMIT', 'leaky', true);
    expect(raised.ms).toBeLessThanOrEqual(BUDGET_MS);
    await new Promise((resolve) => setTimeout(resolve, (VOLUME_WINDOW_S + INTERVAL_S + 2) * 1000));
    const workingSet = (
      await promQuery(
        `max(container_memory_working_set_bytes{namespace="${ns}",pod=~"leaky-.*",container="app"})`,
      )
    )[0].value;
    const now = Date.now();
    const expected = now + ((100 * MI - workingSet) / rate) * 1000;
    const f = find(await findings(), 'FORECAST_MEMORY_LIMIT', 'leaky')!;
    expect(f).toMatchObject({ source: 'forecast', object: { kind: 'Deployment', name: 'leaky' } });
    const error = Math.abs(Date.parse(f.evidence.fields.crossesAt) - expected) / (expected - now);
    expect({ crossesAt: f.evidence.fields.crossesAt, error, within: error <= 0.1 }).toMatchObject({
      within: true,
    });
    annotate('deployment', 'leaky', 'memory-growth-');
    const resolved = await until('FORECAST_MEMORY_LIMIT', 'leaky', false);
    expect(resolved.ms).toBeLessThanOrEqual(BUDGET_MS);
  }, 120_000);

  it('the healthy look-alikes stay silent: 4xx within tolerance, idle by design, 60 % of the limit, a volume months from full', async () => {
    const status = await untilStatus((s) => s.telemetry?.state === 'ok');
    const items = await findings();
    // Only behaviour's codes: the detectors rightly see other things (no requests, an unbound claim).
    const mine = items.filter(
      (f) =>
        ['clienterr', 'idle', 'memok', 'slowfill'].includes(f.object.name) &&
        (f.code.startsWith('BEHAVIOUR_') ||
          ['FORECAST_PVC_FULL', 'FORECAST_MEMORY_LIMIT'].includes(f.code)),
    );
    expect(mine.map((f) => `${f.code} ${f.object.name}`)).toEqual([]);
    // The look-alikes are seen: the simulator serves their series.
    await untilPromValue(`sum(rate(${inbound('clienterr')}[${WINDOW_S}s]))`, {
      accept: (v) => v > 18,
    });
    expect(status.telemetry.error).toBeNull();
  });

  it("sends the same number of queries per evaluation whatever the number of workloads, by Prometheus's own counter", async () => {
    const perEvaluation = async () => {
      const first = await nextEvaluation();
      const before = await promQueriesServed();
      const second = await nextEvaluation(first.evaluatedAt);
      const after = await promQueriesServed();
      expect(second.telemetry.queries).toBe(first.telemetry.queries);
      return { counted: second.telemetry.queries, served: after - before };
    };
    const small = await perEvaluation();
    kubectlOk('admin', ['apply', '-f', '-'], {
      input: ['more1', 'more2', 'more3', 'more4']
        .map((n) => deployment(n, { 'ingress-rps': '5', 'cpu-throttle-ratio': '0.5' }))
        .join('---\n'),
    });
    kubectlOk('admin', ['-n', ns, 'rollout', 'status', 'deployment', '--timeout=60s']);
    await untilPromValue(
      `count(count by (destination_workload) (rate(${inboundAll()}[${WINDOW_S}s])))`,
      {
        accept: (v) => v >= 8,
      },
    );
    const large = await perEvaluation();
    expect({ small, large }).toEqual({
      small: { counted: 10, served: 10 },
      large: { counted: 10, served: 10 },
    });
  }, 90_000);

  it('a Prometheus that does not answer is no behaviour finding and its error as data; diagnostics go on', async () => {
    annotate('deployment', 'errors', 'error-ratio=0.5');
    await until('BEHAVIOUR_ERROR_RATE', 'errors', true);
    const put = await t
      .http()
      .put('/api/v1/clusters/beh/telemetry/source')
      .set(bearer(ADMIN_TOKEN))
      .send({ type: 'url', url: 'http://127.0.0.1:9' });
    expect(put.status).toBe(200);
    const status = await untilStatus((s) => s.telemetry?.state === 'error');
    expect(status).toMatchObject({ findings: 0, codes: [] });
    expect(status.telemetry.error.code).toMatch(/^PROMETHEUS_/);
    await until('BEHAVIOUR_ERROR_RATE', 'errors', false);
    // The detectors' findings of the namespace are still there.
    const items = await findings();
    expect(items.some((f) => f.code === 'CONTAINER_NO_REQUESTS')).toBe(true);
  }, 90_000);
});
