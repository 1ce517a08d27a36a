// Issue #28's benchmark: golden signals for 500 Services and the service graph of 5,000 edges,
// with a real Prometheus on loopback. A load generator in this process serves Istio's standard
// series for the synthetic mesh (source-reporter requests by outcome and the request-duration
// histogram with Istio's default buckets, per edge); Prometheus scrapes it; the views run through
// CloudPilot's compiled telemetry code (PrometheusClient + SignalsService/GraphService queries and
// folding) exactly as the routes do, minus the HTTP envelope. PromQL queries per request are
// counted from Prometheus's own prometheus_engine_query_duration_seconds_count.
//   npm run bench:telemetry -- [--services 500] [--edges 5000] [--requests 200] [--json out.json]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dist } from './lib/cloudpilot.mjs';
import { percentile, sleep } from './lib/kube.mjs';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '500' },
    edges: { type: 'string', default: '5000' },
    requests: { type: 'string', default: '200' },
    window: { type: 'string', default: '60' },
    timeout: { type: 'string', default: '30' },
    prometheus: {
      type: 'string',
      default: join(homedir(), '.cache/cloudpilot/telemetry/bin/prometheus'),
    },
    json: { type: 'string' },
  },
});
const SERVICES = Number(values.services);
const EDGES = Number(values.edges);
const REQUESTS = Number(values.requests);
const WINDOW = Number(values.window);
const SCRAPE_S = 5;
const BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
  1800000, 3600000,
];
const log = (...a) => console.error(new Date().toISOString(), ...a);

const { PrometheusClient } = dist('telemetry/prometheus-client');
const { HttpTransport } = dist('telemetry/http-transport');
const { SignalsService } = dist('telemetry/signals.service');
const { GraphService } = dist('telemetry/graph.service');

/** The synthetic mesh: service i in namespace ns<i % 10>, backed by workload i; edges caller → service. */
function mesh() {
  const svc = (i) => ({ ns: `ns${i % 10}`, name: `svc-${i}` });
  const edges = [];
  const seen = new Set();
  for (let k = 0; edges.length < EDGES; k++) {
    const from = k % SERVICES;
    const to = (from * 7 + Math.floor(k / SERVICES) * 13 + 1) % SERVICES;
    if (from === to || seen.has(`${from}>${to}`)) continue;
    seen.add(`${from}>${to}`);
    edges.push({ from: svc(from), to: svc(to), rps: 1 + (k % 20), failing: k % 10 === 0 });
  }
  return edges;
}

/** Pre-rendered label sets; each scrape only writes the counters' current values. */
function exposition(edges) {
  const rows = [];
  for (const e of edges) {
    const labels = `reporter="source",source_workload="${e.from.name}",source_workload_namespace="${e.from.ns}",destination_workload="${e.to.name}",destination_workload_namespace="${e.to.ns}",destination_service="${e.to.name}.${e.to.ns}.svc.cluster.local",destination_service_name="${e.to.name}",request_protocol="http",connection_security_policy="mutual_tls",response_flags="-"`;
    const ok = e.failing ? e.rps * 0.92 : e.rps;
    rows.push([`istio_requests_total{${labels},response_code="200"}`, ok]);
    if (e.failing) rows.push([`istio_requests_total{${labels},response_code="503"}`, e.rps * 0.08]);
    for (const le of BUCKETS)
      rows.push([
        `istio_request_duration_milliseconds_bucket{${labels},response_code="200",le="${le}"}`,
        le >= 100 ? ok : le >= 25 ? ok * 0.5 : 0,
      ]);
    rows.push([
      `istio_request_duration_milliseconds_bucket{${labels},response_code="200",le="+Inf"}`,
      ok,
    ]);
  }
  const started = Date.now();
  return () => {
    const t = (Date.now() - started) / 1000;
    return rows.map(([series, rate]) => `${series} ${Math.floor(rate * t)}`).join('\n') + '\n';
  };
}

async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address().port;
}

async function freePort() {
  const server = http.createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Queries Prometheus has evaluated, from its own /metrics (live; reading it runs no query). */
async function engineQueries(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) =>
      l.startsWith('prometheus_engine_query_duration_seconds_count{slice="inner_eval"}'),
    );
  return Number(line?.split(' ').pop() ?? NaN);
}

function counted(client) {
  return { instant: (q) => client.instant(q), range: (q, s, e, st) => client.range(q, s, e, st) };
}

async function measure(name, url, run) {
  for (let i = 0; i < 5; i++) await run(); // warm-up: JIT, connections
  const before = await engineQueries(url);
  const ms = [];
  let last;
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    last = await run();
    ms.push(performance.now() - t0);
  }
  const queries = (await engineQueries(url)) - before;
  ms.sort((a, b) => a - b);
  const result = {
    name,
    requests: REQUESTS,
    p50: +percentile(ms, 50).toFixed(1),
    p95: +percentile(ms, 95).toFixed(1),
    p99: +percentile(ms, 99).toFixed(1),
    max: +ms[ms.length - 1].toFixed(1),
    queriesPerRequest: +(queries / REQUESTS).toFixed(2),
  };
  log(name, JSON.stringify(result));
  return { result, last };
}

async function main() {
  const edges = mesh();
  const render = exposition(edges);
  const exporter = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(render()),
  );
  const exporterPort = await listen(exporter);
  const promPort = await freePort();
  const prom = await (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-bench-prom-'));
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      `global: { scrape_interval: ${SCRAPE_S}s }\nscrape_configs:\n  - job_name: mesh\n    static_configs: [{ targets: ['127.0.0.1:${exporterPort}'] }]\n`,
    );
    const child = spawn(
      values.prometheus,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: 'ignore' },
    );
    return {
      url: `http://127.0.0.1:${promPort}`,
      stop: () => (child.kill(), rmSync(dir, { recursive: true, force: true })),
    };
  })();
  try {
    log(
      `mesh: ${SERVICES} services, ${edges.length} edges; waiting for ${WINDOW / SCRAPE_S + 2} scrapes`,
    );
    await sleep((WINDOW + 2 * SCRAPE_S) * 1000);
    const client = new PrometheusClient(
      new HttpTransport(
        { url: prom.url, auth: { type: 'none' } },
        { allowLoopback: true, allowPlainHttpLoopback: true, allowInsecureSkipTlsVerify: false },
      ),
      {
        timeoutMs: Number(values.timeout) * 1000,
        maxSeries: 200_000,
        maxPoints: 200_000,
        maxBytes: 256 * 1048576,
      },
    );
    const config = { config: { telemetry: { healthOverrides: [] } } };
    const signals = new SignalsService(undefined, config);
    const graphs = new GraphService(undefined);
    const q = counted(client);
    const services = await measure('golden signals, all services', prom.url, () =>
      signals.collect(q, 'service', WINDOW),
    );
    const graph = await measure('service graph, cluster', prom.url, () =>
      graphs.collect(q, WINDOW),
    );
    const checks = {
      services: services.last.length,
      failingServices: services.last.filter((s) => s.health.status !== 'healthy').length,
      callEdges: graph.last.edges.filter((e) => e.kind === 'call').length,
      edges: graph.last.edges.length,
    };
    log('answers', JSON.stringify(checks));
    const out = {
      at: new Date().toISOString(),
      services: SERVICES,
      edges: EDGES,
      windowSeconds: WINDOW,
      results: [services.result, graph.result],
      checks,
    };
    if (values.json) writeFileSync(values.json, JSON.stringify(out, null, 2));
    console.log(JSON.stringify(out, null, 2));
    await client.close();
  } finally {
    prom.stop();
    exporter.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
