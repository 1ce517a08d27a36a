// Issue #29's evaluation-cost benchmark: one behaviour evaluation (src/behaviour's compiled
// evaluateBehaviour, the code the periodic job runs) over the synthetic mesh of
// bench/lib/prometheus-mesh.mjs, with the destination-reported Istio series the rules read plus the
// kubelet's cAdvisor and volume series of each service's pods, at each size in --services. Reports
// evaluation wall time, PromQL queries per evaluation from Prometheus's own
// prometheus_engine_query_duration_seconds_count (equal at every size = constant in the number of
// services), CPU per evaluation (Prometheus minus its idle scraping, and this process), and the
// findings raised (the mesh has failing edges, throttled containers and filling volumes).
//   npm run bench:behaviour -- [--services 100,500] [--edges-per-service 10] [--pods 2]
//     [--evaluations 10] [--window 60] [--offset 60] [--volume-window 60] [--timeout 30]
//     [--reporters destination] [--prometheus PATH] [--json out.json]
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dist } from './lib/cloudpilot.mjs';
import { sleep } from './lib/kube.mjs';
import {
  benchClient,
  cpuSince,
  cpuStart,
  DEFAULT_PROMETHEUS,
  engineQueries,
  exposition,
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
    services: { type: 'string', default: '100,500' },
    'edges-per-service': { type: 'string', default: '10' },
    pods: { type: 'string', default: '2' },
    evaluations: { type: 'string', default: '10' },
    window: { type: 'string', default: '60' },
    offset: { type: 'string', default: '60' },
    'volume-window': { type: 'string', default: '60' },
    reporters: { type: 'string', default: 'destination' },
    timeout: { type: 'string', default: '30' },
    prometheus: { type: 'string', default: DEFAULT_PROMETHEUS },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(usage(import.meta.url));
  process.exit(0);
}
const EVALUATIONS = Number(values.evaluations);
const log = (...a) => console.error(new Date().toISOString(), ...a);

const { evaluateBehaviour } = dist('behaviour/behaviour-evaluation');

/** The evaluation context the periodic job builds, with the bench's windows. */
function context() {
  return {
    windowSeconds: Number(values.window),
    baselineOffsetSeconds: Number(values.offset),
    volumeWindowSeconds: Number(values['volume-window']),
    volumeLinePercent: 90,
    horizonMs: 7 * 86_400_000,
    healthOverrides: [],
    hasReadyPods: () => true,
    now: Date.now(),
  };
}

async function atSize(services) {
  const edges = mesh(services, services * Number(values['edges-per-service']));
  const render = exposition(edges, {
    reporters: values.reporters.split(','),
    services,
    pods: Number(values.pods),
  });
  const prom = await startMesh(render, values.prometheus);
  try {
    const history = Number(values.window) + Number(values.offset) + 2 * SCRAPE_SECONDS;
    log(
      `${services} services, ${edges.length} edges: waiting ${history} s for the baseline window`,
    );
    await sleep(history * 1000);
    const idleCpu = await idleCpuPerSecond(prom.pid);
    const client = benchClient(dist, prom.url, Number(values.timeout));
    const q = {
      instant: (text) => client.instant(text),
      histogram: (text) => client.histogram(text),
      range: (text, s, e, st) => client.range(text, s, e, st),
    };
    await evaluateBehaviour(q, context()); // warm-up: JIT, connections
    const [q0, cpu] = [await engineQueries(prom.url), cpuStart(prom.pid)];
    const ms = [];
    let hits = [];
    for (let i = 0; i < EVALUATIONS; i++) {
      const start = performance.now();
      hits = await evaluateBehaviour(q, context());
      ms.push(performance.now() - start);
    }
    const { prometheusCpuMs, cloudpilotCpuMs } = cpuSince(cpu, prom.pid, idleCpu, EVALUATIONS);
    const codes = {};
    for (const h of hits) codes[h.code] = (codes[h.code] ?? 0) + 1;
    const result = {
      services,
      edges: edges.length,
      headSeries: await headSeries(prom.url),
      evaluations: EVALUATIONS,
      ...latencySummary(ms),
      queriesPerEvaluation: +(((await engineQueries(prom.url)) - q0) / EVALUATIONS).toFixed(2),
      prometheusCpuMsPerEvaluation: prometheusCpuMs,
      cloudpilotCpuMsPerEvaluation: cloudpilotCpuMs,
      loadAverage: +loadavg()[0].toFixed(1),
      findings: codes,
    };
    log(JSON.stringify(result));
    await client.close();
    return result;
  } finally {
    prom.stop();
  }
}

async function main() {
  const results = [];
  for (const size of values.services.split(',').map(Number)) results.push(await atSize(size));
  const out = {
    at: new Date().toISOString(),
    windowSeconds: Number(values.window),
    baselineOffsetSeconds: Number(values.offset),
    results,
    constant: new Set(results.map((r) => r.queriesPerEvaluation)).size === 1,
  };
  if (values.json) writeFileSync(values.json, JSON.stringify(out, null, 2));
  console.log(JSON.stringify(out, null, 2));
  if (!out.constant) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
