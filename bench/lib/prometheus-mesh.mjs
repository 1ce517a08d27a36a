// A synthetic Istio mesh served to a real Prometheus on loopback, shared by bench/telemetry.mjs and
// bench/behaviour.mjs. An exporter in the bench process serves Istio's standard series per edge
// (requests by outcome and the request-duration histogram with Istio's default buckets), and,
// when asked, the kubelet's cAdvisor and volume series of each service's pods, with the label sets
// of scripts/cluster/telemetry-sim; the harness's Prometheus binary scrapes it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { percentile } from './kube.mjs';

export const DEFAULT_PROMETHEUS = join(homedir(), '.cache/cloudpilot/telemetry/bin/prometheus');
export const SCRAPE_SECONDS = 5;
const BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
  1800000, 3600000,
];

const svc = (i) => ({ ns: `ns${i % 10}`, name: `svc-${i}` });

/** Service i in namespace ns<i % 10>, backed by workload i; `edges` distinct caller → service. */
export function mesh(services, edges) {
  const out = [];
  const seen = new Set();
  for (let k = 0; out.length < edges && k < services * services * 4; k++) {
    const from = k % services;
    const to = (from * 7 + Math.floor(k / services) * 13 + 1) % services;
    if (from === to || seen.has(`${from}>${to}`)) continue;
    seen.add(`${from}>${to}`);
    out.push({ from: svc(from), to: svc(to), rps: 1 + (k % 20), failing: k % 10 === 0 });
  }
  return out;
}

/**
 * Counter rows [series, rate] of every edge as each reporter sees it: 92 % of a failing edge's
 * requests answer 200, 8 % answer 503; half the successes take 25–50 ms, the rest 50–100 ms.
 */
function istioRows(edges, reporters) {
  const rows = [];
  for (const e of edges)
    for (const reporter of reporters) {
      const labels = `reporter="${reporter}",source_workload="${e.from.name}",source_workload_namespace="${e.from.ns}",destination_workload="${e.to.name}",destination_workload_namespace="${e.to.ns}",destination_service="${e.to.name}.${e.to.ns}.svc.cluster.local",destination_service_name="${e.to.name}",request_protocol="http",connection_security_policy="${reporter === 'destination' ? 'mutual_tls' : 'unknown'}",response_flags="-"`;
      const ok = e.failing ? e.rps * 0.92 : e.rps;
      rows.push([`istio_requests_total{${labels},response_code="200"}`, ok]);
      if (e.failing)
        rows.push([`istio_requests_total{${labels},response_code="503"}`, e.rps * 0.08]);
      for (const le of [...BUCKETS, '+Inf'])
        rows.push([
          `istio_request_duration_milliseconds_bucket{${labels},response_code="200",le="${le}"}`,
          le === '+Inf' || le >= 100 ? ok : le >= 25 ? ok * 0.5 : 0,
        ]);
    }
  return rows;
}

/**
 * cAdvisor and volume rows of `pods` pods per service (app and istio-proxy containers, as the
 * kubelet labels them) and one PVC per service: [series, start, slope per second] (gauges) or
 * [series, 0, rate] (counters: the value is rate × t either way).
 */
function kubeletRows(services, pods) {
  const rows = [];
  for (let i = 0; i < services; i++) {
    const { ns, name } = svc(i);
    for (let p = 0; p < pods; p++) {
      const pod = `${name}-${p}`;
      for (const container of ['app', 'istio-proxy']) {
        const labels = `container="${container}",id="/kubepods/pod${i}-${p}/${container}",image="${container}:1",name="${pod}-${container}",namespace="${ns}",pod="${pod}"`;
        rows.push([`container_cpu_usage_seconds_total{${labels},cpu="total"}`, 0, 0.1]);
        rows.push([`container_memory_working_set_bytes{${labels}}`, 64e6 + (i % 7) * 1e6, i % 5]);
        rows.push([`container_spec_memory_limit_bytes{${labels}}`, 128e6, 0]);
        rows.push([`container_cpu_cfs_periods_total{${labels}}`, 0, 10]);
        rows.push([`container_cpu_cfs_throttled_periods_total{${labels}}`, 0, i % 9 === 0 ? 5 : 0]);
      }
    }
    const pvc = `namespace="${ns}",persistentvolumeclaim="data-${name}"`;
    rows.push([`kubelet_volume_stats_capacity_bytes{${pvc}}`, 1e9, 0]);
    rows.push([`kubelet_volume_stats_used_bytes{${pvc}}`, 1e8, i % 4]);
  }
  return rows;
}

/** The exposition at each scrape: label sets rendered once, values from the time since start. */
export function exposition(edges, { reporters = ['source'], services = 0, pods = 0 } = {}) {
  const counters = istioRows(edges, reporters);
  const gauges = kubeletRows(services, pods);
  const started = Date.now();
  return () => {
    const t = (Date.now() - started) / 1000;
    const lines = counters.map(([series, rate]) => `${series} ${Math.floor(rate * t)}`);
    for (const [series, base, slope] of gauges) lines.push(`${series} ${base + slope * t}`);
    return `${lines.join('\n')}\n`;
  };
}

/** The exporter in a worker thread, with the server's listen/close as startMesh uses them. */
class WorkerExporter {
  constructor(workerData) {
    this.worker = new Worker(new URL('./mesh-exporter.worker.mjs', import.meta.url), {
      workerData,
    });
  }

  listen(_port, _host, done) {
    this.worker.once('message', (port) => {
      this.port = port;
      done();
    });
  }

  address() {
    return { port: this.port };
  }

  close() {
    void this.worker.terminate();
  }
}

function listen(server) {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(server.address().port)),
  );
}

async function freePort() {
  const server = http.createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Serves `render()` to a fresh Prometheus that scrapes it every SCRAPE_SECONDS; with
 * `{ services, edges, reporters }` instead, the mesh is rendered and served by a worker thread
 * (mesh-exporter.worker.mjs), off the event loop whose latencies the bench measures.
 */
export async function startMesh(render, binary = DEFAULT_PROMETHEUS) {
  const exporter =
    typeof render === 'function'
      ? http.createServer((_req, res) =>
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(render()),
        )
      : new WorkerExporter(render);
  const exporterPort = await listen(exporter);
  const promPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cp-bench-prom-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    `global: { scrape_interval: ${SCRAPE_SECONDS}s }\nscrape_configs:\n  - job_name: mesh\n    static_configs: [{ targets: ['127.0.0.1:${exporterPort}'] }]\n`,
  );
  const child = spawn(
    binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ],
    { stdio: 'ignore' },
  );
  return {
    url: `http://127.0.0.1:${promPort}`,
    pid: child.pid,
    stop: () => {
      child.kill();
      exporter.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Queries Prometheus has evaluated, from its own /metrics (live; reading it runs no query). */
export async function engineQueries(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) =>
      l.startsWith('prometheus_engine_query_duration_seconds_count{slice="inner_eval"}'),
    );
  return Number(line?.split(' ').pop() ?? NaN);
}

/** Prometheus's head series count, from its own /metrics. */
export async function headSeries(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('prometheus_tsdb_head_series '));
  return Number(line?.split(' ').pop() ?? NaN);
}

/** A PrometheusClient of CloudPilot's compiled code for the bench's Prometheus. */
export function benchClient(dist, url, timeoutSeconds) {
  const { PrometheusClient } = dist('telemetry/prometheus-client');
  const { HttpTransport } = dist('telemetry/http-transport');
  return new PrometheusClient(
    new HttpTransport(
      { url, auth: { type: 'none' } },
      { allowLoopback: true, allowPlainHttpLoopback: true, allowInsecureSkipTlsVerify: false },
    ),
    {
      timeoutMs: timeoutSeconds * 1000,
      maxSeries: 200_000,
      maxPoints: 200_000,
      maxBytes: 256 * 1048576,
    },
  );
}

const CLK_TCK = 100;

/** User + system CPU seconds of a process (Prometheus), from /proc/<pid>/stat. */
export function cpuOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** This process's CPU seconds (CloudPilot's side: parsing, folding, interpolating). */
export function ownCpu() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * CPU seconds per second of Prometheus and of this process while the mesh is only scraped (the
 * exporter renders every series in this process): subtracted from a measured run.
 */
export async function idleCpuPerSecond(pid, seconds = 10) {
  const [prometheus, own] = [cpuOf(pid), ownCpu()];
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return { prometheus: (cpuOf(pid) - prometheus) / seconds, own: (ownCpu() - own) / seconds };
}

/** CPU ms per operation of Prometheus and CloudPilot since `start`, idle scraping taken out. */
export function cpuSince(start, pid, idle, operations) {
  const seconds = (Date.now() - start.at) / 1000;
  const per = (used, idlePerSecond) =>
    +((1000 * Math.max(0, used - idlePerSecond * seconds)) / operations).toFixed(1);
  return {
    prometheusCpuMs: per(cpuOf(pid) - start.prometheus, idle.prometheus),
    cloudpilotCpuMs: per(ownCpu() - start.own, idle.own),
  };
}

/** The CPU counters `cpuSince` starts from. */
export function cpuStart(pid) {
  return { at: Date.now(), prometheus: cpuOf(pid), own: ownCpu() };
}

/** p50/p95/p99/max of latencies in ms (nearest rank). */
export function latencySummary(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p) => +percentile(sorted, p).toFixed(1);
  return { p50: at(50), p95: at(95), p99: at(99), max: +sorted[sorted.length - 1].toFixed(1) };
}

/** The first lines of a bench script (its comment): its --help. */
export function usage(url) {
  return readFileSync(new URL(url), 'utf8').split('\nimport ')[0];
}
