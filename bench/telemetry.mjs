// Issue #28's benchmark: golden signals for 500 Services and the service graph of 5,000 edges,
// with a real Prometheus on loopback (bench/lib/prometheus-mesh.mjs serves the synthetic mesh).
// The views run through CloudPilot's compiled telemetry code (PrometheusClient over HttpTransport,
// SignalsService/GraphService queries and folding), i.e. the routes minus the HTTP envelope:
//  - cold: every request a full evaluation (what one request costs Prometheus and CloudPilot);
//  - dashboard: through TelemetryRunner with its view sharing (telemetry.viewCacheSeconds), as a
//    dashboard of --readers panels refreshing every --every ms asks the routes;
//  - users: what people see (bench/lib/telemetry-users.mjs): --users readers, each reading a mix of
//    services (cluster, namespace, one Service) and graph (cluster, namespace) views with a pause of
//    0–2× --think-ms between reads, for --users-seconds, from right after the warm-keeping job's first
//    warm-up (its time is printed), the job running every --warm-interval s (0: off); then
//    --no-readers-seconds with the job alone (its Prometheus CPU per second).
// PromQL queries per request come from Prometheus's own
// prometheus_engine_query_duration_seconds_count; CPU seconds from /proc (Prometheus, minus its
// scraping measured idle) and process.cpuUsage (this process), less sensitive to load than latency.
//   npm run bench:telemetry -- [--services 500] [--edges 5000] [--requests 100] [--window 60]
//     [--reporters source|source,destination] [--readers 5] [--every 1000] [--dashboard-seconds 20]
//     [--cache-seconds 5] [--stale-seconds 30] [--timeout 30] [--prometheus PATH] [--json out.json]
//     [--modes cold,dashboard,users] [--users 8] [--users-seconds 60] [--think-ms 500]
//     [--warm-interval 20] [--warm-max-views 6] [--no-readers-seconds 40]
// (--stale-seconds: telemetry.viewStaleSeconds, answers past their time served while one refresh runs)
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dist } from './lib/cloudpilot.mjs';
import { sleep } from './lib/kube.mjs';
import { users } from './lib/telemetry-users.mjs';
import {
  benchClient,
  cpuSince,
  cpuStart,
  DEFAULT_PROMETHEUS,
  engineQueries,
  headSeries,
  idleCpuPerSecond,
  latencySummary,
  mesh,
  SCRAPE_SECONDS,
  startMesh,
  usage,
} from './lib/prometheus-mesh.mjs';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '500' },
    edges: { type: 'string', default: '5000' },
    requests: { type: 'string', default: '100' },
    window: { type: 'string', default: '60' },
    reporters: { type: 'string', default: 'source' },
    readers: { type: 'string', default: '5' },
    every: { type: 'string', default: '1000' },
    'dashboard-seconds': { type: 'string', default: '20' },
    'cache-seconds': { type: 'string', default: '5' },
    'stale-seconds': { type: 'string', default: '30' },
    timeout: { type: 'string', default: '30' },
    prometheus: { type: 'string', default: DEFAULT_PROMETHEUS },
    json: { type: 'string' },
    modes: { type: 'string', default: 'cold,dashboard,users' },
    users: { type: 'string', default: '8' },
    'users-seconds': { type: 'string', default: '60' },
    'think-ms': { type: 'string', default: '500' },
    'warm-interval': { type: 'string', default: '20' },
    'warm-max-views': { type: 'string', default: '6' },
    'no-readers-seconds': { type: 'string', default: '40' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(usage(import.meta.url));
  process.exit(0);
}
const REQUESTS = Number(values.requests);
const MODES = new Set(values.modes.split(','));
const WINDOW = Number(values.window);
const log = (...a) => console.error(new Date().toISOString(), ...a);

const { SignalsService } = dist('telemetry/signals.service');
const { GraphService } = dist('telemetry/graph.service');
const { TelemetryRunner } = dist('telemetry/telemetry-runner');
const { latencyBuckets, latencyQuantile } = dist('telemetry/promql');
const { latencyByKey } = dist('telemetry/golden-signals');
const { RecentViews } = dist('telemetry/recent-views');

/** Every request a full evaluation, one after the other. */
async function cold(name, prom, idleCpu, run) {
  for (let i = 0; i < 3; i++) await run(); // warm-up: JIT, connections
  const [q0, cpu] = [await engineQueries(prom.url), cpuStart(prom.pid)];
  const ms = [];
  let last;
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now();
    last = await run();
    ms.push(performance.now() - start);
  }
  const { prometheusCpuMs, cloudpilotCpuMs } = cpuSince(cpu, prom.pid, idleCpu, REQUESTS);
  const result = {
    name,
    requests: REQUESTS,
    ...latencySummary(ms),
    queriesPerRequest: +(((await engineQueries(prom.url)) - q0) / REQUESTS).toFixed(2),
    prometheusCpuMsPerRequest: prometheusCpuMs,
    cloudpilotCpuMsPerRequest: cloudpilotCpuMs,
    loadAverage: +loadavg()[0].toFixed(1),
  };
  log(name, JSON.stringify(result));
  return { result, last };
}

/** --readers concurrent requests every --every ms for --dashboard-seconds, through the runner. */
async function dashboard(name, prom, run) {
  const q0 = await engineQueries(prom.url);
  const ms = [];
  const until = Date.now() + Number(values['dashboard-seconds']) * 1000;
  let shared = 0;
  // The oldest answer a reader got: what sharing (and serving stale) costs in freshness.
  let maxAgeMs = 0;
  while (Date.now() < until) {
    const tick = Date.now();
    const answers = await Promise.all(
      Array.from({ length: Number(values.readers) }, async () => {
        const start = performance.now();
        const answer = await run();
        ms.push(performance.now() - start);
        return answer;
      }),
    );
    shared += answers.filter((a) => a.telemetry.cacheAgeMs !== undefined).length;
    for (const a of answers) maxAgeMs = Math.max(maxAgeMs, a.telemetry.cacheAgeMs ?? 0);
    if (answers.some((a) => a.telemetry.state !== 'ok'))
      throw new Error(JSON.stringify(answers[0].telemetry));
    await sleep(Math.max(0, tick + Number(values.every) - Date.now()));
  }
  const result = {
    name,
    requests: ms.length,
    shared,
    maxAgeMs,
    ...latencySummary(ms),
    queriesPerRequest: +(((await engineQueries(prom.url)) - q0) / ms.length).toFixed(2),
    loadAverage: +loadavg()[0].toFixed(1),
  };
  log(name, JSON.stringify(result));
  return result;
}

/** TelemetryRunner for one cluster whose source is the bench's Prometheus. */
function runner(client) {
  const directory = { get: async () => ({ id: 'bench', name: 'bench' }) };
  const connections = { client: async () => client };
  const telemetry = {
    viewCacheSeconds: Number(values['cache-seconds']),
    viewStaleSeconds: Number(values['stale-seconds']),
    healthOverrides: [],
  };
  return new TelemetryRunner(directory, connections, { config: { telemetry } });
}

async function main() {
  const edges = mesh(Number(values.services), Number(values.edges));
  const reporters = values.reporters.split(',');
  // The exporter renders in a worker thread: its scrapes must not delay the reads measured here.
  const prom = await startMesh(
    { services: Number(values.services), edges: Number(values.edges), reporters },
    values.prometheus,
  );
  try {
    log(`mesh: ${values.services} services, ${edges.length} edges, reporters ${reporters}`);
    await sleep((WINDOW + 2 * SCRAPE_SECONDS) * 1000);
    const idleCpu = await idleCpuPerSecond(prom.pid);
    const client = benchClient(dist, prom.url, Number(values.timeout));
    const config = { config: { telemetry: { healthOverrides: [] } } };
    const signals = new SignalsService(undefined, config, new RecentViews());
    const graphs = new GraphService(undefined, new RecentViews());
    const q = {
      instant: (text) => client.instant(text),
      histogram: (text) => client.histogram(text),
      range: (text, s, e, st) => client.range(text, s, e, st),
    };
    const results = [];
    const once = async (run) => ({ last: await run() });
    const coldOrOnce = (name, run) =>
      MODES.has('cold') ? cold(name, prom, idleCpu, run) : once(run);
    const services = await coldOrOnce('golden signals, all services', () =>
      signals.collect(q, 'service', WINDOW),
    );
    const graph = await coldOrOnce('service graph, cluster', () => graphs.collect(q, WINDOW));
    if (MODES.has('cold')) results.push(services.result, graph.result);
    if (MODES.has('dashboard')) {
      const routes = runner(client);
      const query = { windowSeconds: WINDOW, limit: 500, offset: 0 };
      const sharedSignals = new SignalsService(routes, config, new RecentViews());
      const sharedGraphs = new GraphService(routes, new RecentViews());
      results.push(
        await dashboard('golden signals, dashboard', prom, () =>
          sharedSignals.list('bench', 'service', query),
        ),
        await dashboard('service graph, dashboard', prom, () => sharedGraphs.graph('bench', query)),
      );
    }
    if (MODES.has('users')) {
      const result = await users(prom, client, idleCpu, {
        services: Number(values.services),
        window: WINDOW,
        readers: Number(values.users),
        seconds: Number(values['users-seconds']),
        thinkMs: Number(values['think-ms']),
        idleSeconds: Number(values['no-readers-seconds']),
        telemetry: {
          viewCacheSeconds: Number(values['cache-seconds']),
          viewStaleSeconds: Number(values['stale-seconds']),
          healthOverrides: [],
          warmIntervalSeconds: Number(values['warm-interval']),
          warmWindows: [WINDOW],
          warmForMinutes: 10,
          warmMaxViews: Number(values['warm-max-views']),
        },
      });
      log(result.name, JSON.stringify(result));
      if (result.errors) throw new Error(`${result.errors} reads answered an error`);
      results.push(result);
    }
    // CloudPilot's interpolated p95 against Prometheus's histogram_quantile, at one instant.
    const at = new Date(Date.now() - 1000);
    const ours = latencyByKey(
      await client.histogram(latencyBuckets('service', 'inbound', WINDOW), at),
      'service',
      'inbound',
    );
    const theirs = await client.instant(latencyQuantile(0.95, 'service', 'inbound', WINDOW), at);
    const p95Diffs = theirs.map((s) => {
      const key = `${s.metric.destination_service.split('.')[1]}/${s.metric.destination_service_name}`;
      return Math.abs((ours.get(key)?.p95 ?? NaN) - s.value);
    });
    const checks = {
      p95MaxDifferenceFromPrometheusMs: Math.max(...p95Diffs),
      services: services.last.length,
      failingServices: services.last.filter((s) => s.health.status !== 'healthy').length,
      withP99: services.last.filter((s) => s.inbound.latencyMs.p99 !== null).length,
      callEdges: graph.last.edges.filter((e) => e.kind === 'call').length,
      edges: graph.last.edges.length,
    };
    log('answers', JSON.stringify(checks));
    const out = {
      at: new Date().toISOString(),
      services: Number(values.services),
      edges: edges.length,
      reporters,
      headSeries: await headSeries(prom.url),
      windowSeconds: WINDOW,
      idleCpuMsPerSecond: {
        prometheus: +(idleCpu.prometheus * 1000).toFixed(1),
        bench: +(idleCpu.own * 1000).toFixed(1),
      },
      results,
      checks,
    };
    if (values.json) writeFileSync(values.json, JSON.stringify(out, null, 2));
    console.log(JSON.stringify(out, null, 2));
    await client.close();
  } finally {
    prom.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
