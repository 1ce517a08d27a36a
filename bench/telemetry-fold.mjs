// Issue #28's read path without Prometheus: what CloudPilot itself spends on one evaluation of the
// cluster-wide views (parsing Prometheus's JSON answers, building the graph, interpolating the
// latencies) and on each namespace's view cut from it, in CPU time (process.cpuUsage, far less
// sensitive to the machine's load than latency) and as the longest stretch the event loop was held
// (a 1 ms heartbeat's largest gap: what a read arriving meanwhile would wait; wall time, so an
// upper bound under load). The answers are what Prometheus answers for bench/lib/prometheus-mesh's
// mesh (same labels, same series per edge, its JSON), served from memory through CloudPilot's
// compiled PrometheusClient, TelemetryRunner, GraphService and SignalsService: the routes minus
// the HTTP envelope and the network. Each round evaluates a new window (a fresh shared answer),
// then reads every namespace's graph and services once (each cut from it, never queried).
//   npm run bench:telemetry-fold -- [--services 500] [--edges 5000] [--namespaces 10]
//     [--rounds 20] [--warmup 3] [--json out.json]
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dist } from './lib/cloudpilot.mjs';
import { latencySummary, mesh, usage } from './lib/prometheus-mesh.mjs';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '500' },
    edges: { type: 'string', default: '5000' },
    namespaces: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(usage(import.meta.url));
  process.exit(0);
}
const log = (...a) => console.error(new Date().toISOString(), ...a);

const { graphQueries, requestRates, latencyBuckets } = dist('telemetry/promql');
const { PrometheusClient } = dist('telemetry/prometheus-client');
const { TelemetryRunner } = dist('telemetry/telemetry-runner');
const { SignalsService } = dist('telemetry/signals.service');
const { GraphService } = dist('telemetry/graph.service');
const { RecentViews } = dist('telemetry/recent-views');

const LE = [
  0.5,
  1,
  5,
  10,
  25,
  50,
  100,
  250,
  500,
  1000,
  2500,
  5000,
  10000,
  30000,
  60000,
  300000,
  600000,
  1800000,
  3600000,
  '+Inf',
];

/** Prometheus's JSON for an instant vector: labels in its (sorted) order, values as strings. */
function vector(series) {
  const at = Date.now() / 1000;
  const result = series.map(([metric, value]) => ({
    metric: Object.fromEntries(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : 1))),
    value: [at, String(value)],
  }));
  return JSON.stringify({ status: 'success', data: { resultType: 'vector', result } });
}

function edgeLabels(e) {
  return {
    source_workload: e.from.name,
    source_workload_namespace: e.from.ns,
    destination_service: `${e.to.name}.${e.to.ns}.svc.cluster.local`,
    destination_service_name: e.to.name,
    destination_workload: e.to.name,
    destination_workload_namespace: e.to.ns,
  };
}

/** The answers graphQueries and the services view get for the source-reported mesh. */
function answers(edges) {
  const requests = [];
  const p95 = [];
  const services = new Map();
  for (const e of edges) {
    const labels = edgeLabels(e);
    const ok = e.failing ? e.rps * 0.92 : e.rps;
    requests.push([{ ...labels, request_protocol: 'http', response_code: '200' }, ok]);
    if (e.failing)
      requests.push([{ ...labels, request_protocol: 'http', response_code: '503' }, e.rps * 0.08]);
    p95.push([labels, 95 - (e.rps % 7)]);
    const key = labels.destination_service;
    const s = services.get(key) ?? { name: labels.destination_service_name, ok: 0, failed: 0 };
    services.set(key, s);
    s.ok += ok;
    s.failed += e.failing ? e.rps * 0.08 : 0;
  }
  const rates = [];
  const buckets = [];
  for (const [service, s] of services) {
    const group = { destination_service: service, destination_service_name: s.name };
    rates.push([{ ...group, request_protocol: 'http', response_code: '200' }, s.ok]);
    if (s.failed)
      rates.push([{ ...group, request_protocol: 'http', response_code: '503' }, s.failed]);
    for (const le of LE) {
      const share = le === '+Inf' || le >= 100 ? 1 : le >= 25 ? 0.5 : 0;
      buckets.push([{ ...group, le: String(le) }, s.ok * share]);
    }
  }
  return { requests: vector(requests), p95: vector(p95), empty: vector([]), rates, buckets };
}

/** The query API from memory: each of the cluster-wide queries gets its answer, any other fails. */
function transport(edges) {
  const a = answers(edges);
  const byQuery = new Map();
  const normal = (query) => query.replace(/\[\d+s\]/g, '[w]');
  const g = graphQueries(60);
  byQuery.set(normal(g.requests), a.requests);
  byQuery.set(normal(g.mtls), a.empty);
  byQuery.set(normal(g.p95), a.p95);
  byQuery.set(normal(g.tcp), a.empty);
  byQuery.set(normal(requestRates('service', 'inbound', 60)), vector(a.rates));
  byQuery.set(normal(latencyBuckets('service', 'inbound', 60)), vector(a.buckets));
  return {
    sent: 0,
    async get(req) {
      this.sent += 1;
      const body = byQuery.get(normal(req.params.query));
      if (!body) throw new Error(`not a cluster-wide query: ${req.params.query}`);
      return { status: 200, body };
    },
    close: async () => undefined,
  };
}

/** The largest gap between 1 ms heartbeats while `work` runs: the longest hold of the loop. */
async function measured(work) {
  let last = performance.now();
  let longest = 0;
  const beat = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const cpu = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(cpu);
  clearInterval(beat);
  longest = Math.max(longest, performance.now() - last);
  return { result, cpuMs: (used.user + used.system) / 1000, heldMs: longest };
}

function app(edges) {
  const t = transport(edges);
  const limits = { timeoutMs: 30_000, maxSeries: 200_000, maxPoints: 200_000, maxBytes: 2 ** 28 };
  const client = new PrometheusClient(t, limits);
  const telemetry = { viewCacheSeconds: 3600, viewStaleSeconds: 0, healthOverrides: [] };
  const config = { config: { telemetry } };
  const cluster = { id: 'bench', name: 'bench' };
  const directory = { get: async () => cluster, list: async () => [cluster] };
  const runner = new TelemetryRunner(directory, { client: async () => client }, config);
  const recent = new RecentViews();
  return {
    transport: t,
    signals: new SignalsService(runner, config, recent),
    graphs: new GraphService(runner, recent),
  };
}

const summary = (xs) => ({
  ...latencySummary(xs),
  mean: +(xs.reduce((s, x) => s + x, 0) / xs.length).toFixed(1),
});

/** One round: a fresh window's evaluations, then every namespace's views cut from them. */
async function round(a, windowSeconds, namespaces, out) {
  const base = { windowSeconds, limit: 500, offset: 0 };
  const ok = (answer) => {
    if (answer.telemetry.state !== 'ok') throw new Error(JSON.stringify(answer.telemetry));
    return answer;
  };
  const graph = await measured(async () => ok(await a.graphs.graph('bench', base)));
  const services = await measured(async () => ok(await a.signals.list('bench', 'service', base)));
  out.graphEval.push(graph);
  out.servicesEval.push(services);
  out.edges = graph.result.edges.length;
  out.services = services.result.total;
  for (const namespace of namespaces) {
    const query = { ...base, namespace };
    const cut = await measured(async () => ok(await a.graphs.graph('bench', query)));
    const again = await measured(async () => ok(await a.graphs.graph('bench', query)));
    const items = await measured(async () => ok(await a.signals.list('bench', 'service', query)));
    if (!cut.result.telemetry.derivedFromCluster) throw new Error('a namespace was not cut');
    out.graphCut.push(cut);
    out.graphCutAgain.push(again);
    out.servicesCut.push(items);
    out.namespaceEdges.push(cut.result.edges.length);
  }
}

async function main() {
  const edges = mesh(Number(values.services), Number(values.edges));
  const namespaces = Array.from({ length: Number(values.namespaces) }, (_, i) => `ns${i}`);
  const a = app(edges);
  const kinds = ['graphEval', 'servicesEval', 'graphCut', 'graphCutAgain', 'servicesCut'];
  const fresh = () => ({ ...Object.fromEntries(kinds.map((k) => [k, []])), namespaceEdges: [] });
  let w = 60;
  for (let i = 0; i < Number(values.warmup); i++) await round(a, w++, namespaces, fresh());
  const out = fresh();
  const loads = [loadavg()[0]];
  for (let i = 0; i < Number(values.rounds); i++) await round(a, w++, namespaces, out);
  loads.push(loadavg()[0]);
  const of = (k) => ({
    cpuMs: summary(out[k].map((m) => m.cpuMs)),
    loopHeldMs: summary(out[k].map((m) => m.heldMs)),
  });
  const result = {
    at: new Date().toISOString(),
    services: out.services,
    edges: out.edges,
    namespaces: namespaces.length,
    edgesPerNamespaceGraph: summary(out.namespaceEdges),
    rounds: Number(values.rounds),
    queriesPerRound: a.transport.sent / (Number(values.rounds) + Number(values.warmup)),
    // Per evaluation of the cluster's graph / services view, and per namespace read.
    graphEvaluation: of('graphEval'),
    servicesEvaluation: of('servicesEval'),
    graphNamespaceFirstRead: of('graphCut'),
    graphNamespaceLaterRead: of('graphCutAgain'),
    servicesNamespaceRead: of('servicesCut'),
    loadAverage: loads.map((l) => +l.toFixed(1)),
  };
  if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
}

main().catch((error) => {
  log(error);
  process.exit(1);
});
