// What the request thread does when a cluster's diagnostics start in the worker thread: the first
// fill (every record sent, 250 per message, 1 ms of posting per turn of the event loop), then the
// first evaluation's findings back. Each posting piece is timed with what else happened meanwhile,
// so a long piece can be told apart from the code: this thread preempted (its nonvoluntary context
// switches, /proc/thread-self/status), the hypervisor taking a CPU (the `steal` column of
// /proc/stat, per CPU, in 10 ms ticks), page faults, a GC of this thread's heap.
// Linux only.
//   npm run bench:diagnostics-fill -- [--pods 100000] [--rounds 10]
import { readFileSync } from 'node:fs';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dist } from './lib/cloudpilot.mjs';
import { percentile } from './lib/kube.mjs';
import { deploymentPod } from './lib/pod-shapes.mjs';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '10' },
  },
});
const { slimPod } = dist('cluster-state/records/pod');
const { DiagnosticsIsolate } = dist('diagnostics/diagnostics-isolate');
const { RemoteDiagnostics } = dist('diagnostics/remote-diagnostics');

const pods = new Map();
for (let i = 0; i < Number(values.pods); i++) {
  const p = slimPod(deploymentPod(i));
  pods.set(`${p.namespace}/${p.name}`, p);
}
const snapshot = {
  clusterId: 'fill',
  settled: true,
  list: (kind) => (kind === 'pods' ? [...pods.values()] : []),
  get: (kind, name, ns) => (kind === 'pods' ? pods.get(`${ns}/${name}`) : undefined),
  caches: (kind) => kind === 'pods',
  status: () => ({ pods: { lastSyncedAt: 'now' } }),
  subscribe: () => () => undefined,
};

const gcs = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push([e.startTime, e.startTime + e.duration]);
}).observe({ entryTypes: ['gc'] });
const preemptions = () =>
  Number(
    /nonvoluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync('/proc/thread-self/status', 'utf8'))[1],
  );
const steal = () =>
  readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((line) => /^cpu\d/.test(line))
    .map((line) => Number(line.split(/\s+/)[8]));

const pieces = [];
const pump = RemoteDiagnostics.prototype.pump;
RemoteDiagnostics.prototype.pump = function () {
  const before = { switches: preemptions(), steal: steal(), faults: process.resourceUsage() };
  const start = performance.now();
  pump.call(this);
  const end = performance.now();
  const faults = process.resourceUsage();
  pieces.push({
    ms: end - start,
    preempted: preemptions() !== before.switches,
    stolen: steal().some((ticks, cpu) => ticks !== before.steal[cpu]),
    faults:
      faults.minorPageFault -
      before.faults.minorPageFault +
      faults.majorPageFault -
      before.faults.majorPageFault,
    start,
    end,
  });
};

const keepAlive = setInterval(() => undefined, 1000); // the worker is unref'd
const isolate = new DiagnosticsIsolate('worker');
for (let round = 0; round < Number(values.rounds); round++) {
  const engine = new RemoteDiagnostics(snapshot, isolate, { debounceMs: 250, resyncMs: 3_600_000 });
  engine.start();
  await engine.evaluateInSlices();
  engine.stop();
}
await new Promise((resolve) => setTimeout(resolve, 100)); // the last GC entries
const clean = pieces
  .filter((p) => !p.preempted && !p.stolen)
  .map((p) => p.ms)
  .sort((a, b) => a - b);
const long = pieces.filter((p) => p.ms > 5);
const result = {
  pods: pods.size,
  rounds: Number(values.rounds),
  pieces: pieces.length,
  neitherPreemptedNorStolen: {
    count: clean.length,
    p99Ms: Number(percentile(clean, 99).toFixed(2)),
    maxMs: Number((clean.at(-1) ?? 0).toFixed(2)),
  },
  over5ms: long.map((p) => ({
    ms: Number(p.ms.toFixed(1)),
    preempted: p.preempted,
    stolen: p.stolen,
    pageFaults: p.faults,
    gc: gcs.some(([a, b]) => b > p.start && a < p.end),
  })),
};
console.log(JSON.stringify(result, null, 2));
clearInterval(keepAlive);
await isolate.close();
