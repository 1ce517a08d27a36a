// bench/telemetry.mjs's `users` mode: what people reading the telemetry routes see. Several
// readers read a realistic mix of the views (services of the cluster, of a namespace, of one
// Service; the graph of the cluster and of a namespace) for a while, through CloudPilot's compiled
// SignalsService/GraphService/TelemetryRunner with the warm-keeping job (ViewWarmer) running on its
// interval, from right after the job's first warm-up. Latency over ALL reads, Prometheus CPU per
// second (what keeping the views warm costs it: no read queries Prometheus itself while the views
// are shared) and PromQL queries per second from Prometheus's own counter.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { dist } from './cloudpilot.mjs';
import { cpuSince, cpuStart, engineQueries, latencySummary } from './prometheus-mesh.mjs';

/** The mix of reads: [name, weight, query builder]; ns<i % 10> and svc-<i> as mesh() makes them. */
function reads(services) {
  const pick = () => Math.floor(Math.random() * services);
  return [
    ['services, cluster', 2, () => ({ kind: 'services' })],
    ['services, namespace', 3, () => ({ kind: 'services', namespace: `ns${pick() % 10}` })],
    [
      'services, one Service',
      2,
      () => {
        const i = pick();
        return { kind: 'services', namespace: `ns${i % 10}`, name: `svc-${i}` };
      },
    ],
    ['graph, cluster', 1, () => ({ kind: 'graph' })],
    ['graph, namespace', 2, () => ({ kind: 'graph', namespace: `ns${pick() % 10}` })],
  ];
}

function chooser(services) {
  const mix = reads(services);
  const total = mix.reduce((sum, [, weight]) => sum + weight, 0);
  return () => {
    let r = Math.random() * total;
    for (const [label, weight, build] of mix) if ((r -= weight) < 0) return { label, ...build() };
    return { label: mix[0][0], ...mix[0][2]() };
  };
}

/** The app's telemetry services for one cluster whose source is the bench's Prometheus. */
function app(client, telemetry) {
  const { TelemetryRunner } = dist('telemetry/telemetry-runner');
  const { SignalsService } = dist('telemetry/signals.service');
  const { GraphService } = dist('telemetry/graph.service');
  const { RecentViews } = dist('telemetry/recent-views');
  const { ViewWarmer } = dist('telemetry/view-warmer');
  const config = { config: { telemetry } };
  const cluster = { id: 'bench', name: 'bench' };
  const directory = { get: async () => cluster, list: async () => [cluster] };
  const runner = new TelemetryRunner(directory, { client: async () => client }, config);
  const recent = new RecentViews();
  const signals = new SignalsService(runner, config, recent);
  const graphs = new GraphService(runner, recent);
  // PeriodicJobs' contract, as the bench needs it: one tick at a time, a running one is joined.
  let job;
  const jobs = {
    register: (spec) => {
      let running;
      const run = (now) =>
        (running ??= spec.tick(now ?? Date.now()).finally(() => (running = undefined)));
      job = { run, idle: () => running ?? Promise.resolve() };
      return job;
    },
  };
  const warmer = new ViewWarmer(directory, runner, signals, graphs, recent, config, jobs);
  return { signals, graphs, warmer, job };
}

/**
 * `options`: services, window, readers, seconds, thinkMs, idleSeconds (then nobody reads, the job
 * alone runs), telemetry (the telemetry.* config: viewCacheSeconds, viewStaleSeconds,
 * warmIntervalSeconds, warmWindows, …).
 */
export async function users(prom, client, idleCpu, options) {
  const { signals, graphs, warmer, job } = app(client, options.telemetry);
  const q0 = await engineQueries(prom.url);
  const cpu = cpuStart(prom.pid);
  const warmStart = performance.now();
  const first = await warmer.warmNow();
  const warmUpMs = +(performance.now() - warmStart).toFixed(0);
  const interval = options.telemetry.warmIntervalSeconds * 1000;
  const timer = job && setInterval(() => job.run().catch(() => undefined), interval);
  const next = chooser(options.services);
  const base = { windowSeconds: options.window, limit: 500, offset: 0 };
  const all = [];
  const byKind = new Map();
  const seen = { derived: 0, shared: 0, evaluated: 0, maxAgeMs: 0, errors: 0 };
  const until = Date.now() + options.seconds * 1000;
  const reader = async () => {
    while (Date.now() < until) {
      const read = next();
      const query = { ...base, namespace: read.namespace, name: read.name };
      const start = performance.now();
      const answer =
        read.kind === 'graph'
          ? await graphs.graph('bench', query)
          : await signals.list('bench', 'service', query);
      const ms = performance.now() - start;
      all.push(ms);
      if (!byKind.has(read.label)) byKind.set(read.label, []);
      byKind.get(read.label).push(ms);
      const t = answer.telemetry;
      if (t.state !== 'ok') seen.errors += 1;
      if (t.derivedFromCluster) seen.derived += 1;
      if (t.cacheAgeMs === undefined) seen.evaluated += 1;
      else seen.shared += 1;
      seen.maxAgeMs = Math.max(seen.maxAgeMs, t.cacheAgeMs ?? 0);
      await new Promise((r) => setTimeout(r, Math.random() * 2 * options.thinkMs));
    }
  };
  await Promise.all(Array.from({ length: options.readers }, reader));
  await job?.idle(); // a tick in progress belongs to the run
  const seconds = (Date.now() - cpu.at) / 1000;
  const { prometheusCpuMs } = cpuSince(cpu, prom.pid, idleCpu, seconds);
  const queries = (await engineQueries(prom.url)) - q0;
  // Then nobody reads: what keeping the views warm alone costs Prometheus.
  const q1 = await engineQueries(prom.url);
  const idleStart = cpuStart(prom.pid);
  await new Promise((r) => setTimeout(r, options.idleSeconds * 1000));
  await job?.idle();
  if (timer) clearInterval(timer);
  const idleSeconds = (Date.now() - idleStart.at) / 1000;
  const alone = cpuSince(idleStart, prom.pid, idleCpu, idleSeconds).prometheusCpuMs;
  const aloneQueries = (await engineQueries(prom.url)) - q1;
  return {
    name: `users: realistic mix, warm-keeping ${options.telemetry.warmIntervalSeconds > 0 ? 'on' : 'off'}`,
    readers: options.readers,
    seconds: options.seconds,
    warmIntervalSeconds: options.telemetry.warmIntervalSeconds,
    firstWarmUpMs: warmUpMs,
    firstWarmUp: first.map((e) => e.data ?? e.error),
    requests: all.length,
    ...latencySummary(all),
    byKind: Object.fromEntries(
      [...byKind].map(([name, ms]) => [name, { requests: ms.length, ...latencySummary(ms) }]),
    ),
    ...seen,
    prometheusCpuMsPerSecond: prometheusCpuMs,
    queriesPerSecond: +(queries / seconds).toFixed(2),
    noReaders: {
      seconds: +idleSeconds.toFixed(1),
      prometheusCpuMsPerSecond: alone,
      queriesPerSecond: +(aloneQueries / idleSeconds).toFixed(2),
    },
    loadAverage: +loadavg()[0].toFixed(1),
  };
}
