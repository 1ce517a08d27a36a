// Diagnostics at scale, in one process (run with --expose-gc, after npm run build):
//  1. heap per pod of the slim pod record (#12 item 3), realistic pods (owned by a ReplicaSet, a
//     service-account token volume, a ConfigMap env source, all conditions True), 1 % of them faulty;
//  2. full evaluation time of every detector over the cluster (median and max of --runs), in one
//     pass and sliced as the live engine runs it (the longest synchronous slice, and the event
//     loop's longest delay measured by perf_hooks.monitorEventLoopDelay meanwhile);
//  2c. the heap the engine keeps after its first evaluation (index, per-object results, findings);
//  3. one pod change: a pod turns CrashLoopBackOff; time from the change to the finding opened
//     through ClusterDiagnostics (debounce + incremental evaluation), and the longest event-loop
//     block meanwhile;
//  3b. one ConfigMap change: the time until the engine has evaluated it (its namespace's pods again),
//     and the engine's slices and GC pauses meanwhile;
//  4. overview requests while diagnostics run: the real overview view (resourceOverview over the
//     live aggregates) behind a node:http server in this process, loaded at a fixed rate by a
//     client in its own process (--load-in thread: a worker thread of this one; latency timed
//     from the scheduled send: no coordinated omission), idle, during back-to-back sliced full evaluations, during the engine's first
//     evaluation (a new one each round, back to back), during ONE first evaluation at a time (what
//     the engine does once per cluster: --first-rounds rounds, requests due while it ran against
//     those due before it), during one-pass evaluations (the old behaviour, for contrast), and
//     during pod and ConfigMap changes through the engine;
//  3w/4w. the same with the engine in the diagnostics worker thread (what the built service runs,
//     diagnostics.isolation): ONE first evaluation (the snapshot sent, evaluated, the findings
//     back) and pod changes, with the pieces of work this thread does for it (posting, receiving)
//     and whether the OS preempted them;
//  2w. the worker's heap before and after its cluster was sent and evaluated (measured last).
//   npm run bench:diagnostics -- [--pods 100000] [--runs 5] [--changes 20] [--load-seconds 5] [--rate 200]
//     [--first-rounds 8] [--load-in process|thread] [--json out.json] [--first-only] [--help]
//     --first-only: phases 1, 2a and 2b only (with --runs 1, the one-pass figure is the cold first
//     evaluation), for alternating before/after runs of the first evaluation; add node's
//     --cpu-prof to see where its time goes
//     [--heap-sample prefix]: a sampling heap profile (garbage included) of the sliced evaluations
//     (2b), of the engine's first evaluation (2c), of the pod changes (3) and of the ConfigMap changes (3b), written to prefix-<phase>.heapprofile (open in Chrome
//     DevTools), the biggest allocation sites logged
/* global setImmediate */
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import {
  constants,
  performance,
  monitorEventLoopDelay,
  PerformanceObserver,
} from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { spawn } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { dist, settledMemory } from './lib/cloudpilot.mjs';
import { percentile } from './lib/kube.mjs';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    changes: { type: 'string', default: '20' },
    'load-seconds': { type: 'string', default: '5' },
    rate: { type: 'string', default: '200' },
    'first-rounds': { type: 'string', default: '8' },
    'load-in': { type: 'string', default: 'process' },
    json: { type: 'string' },
    'heap-sample': { type: 'string' },
    'first-only': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    readFileSync(new URL(import.meta.url), 'utf8').split('\n/* global')[0] + '\n',
  );
  process.exit(0);
}
const PODS = Number(values.pods);
const PER_DEPLOYMENT = 10;
const PER_NAMESPACE = 100;
const log = (...a) => console.error(new Date().toISOString(), ...a);
const result = {
  when: new Date().toISOString(),
  node: process.version,
  pods: PODS,
  loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
};
const round2 = (x) => Number(x.toFixed(2));
/** Garbage-collection pauses on the main thread, as perf_hooks reports them: [start, ms, kind]. */
const gcPauses = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push([e.startTime, e.duration, e.detail?.kind]);
}).observe({ entryTypes: ['gc'] });
/** The longest GC pause since `since` (a performance.now() time). */
const longestGc = (since) =>
  round2(Math.max(0, ...gcPauses.filter(([start]) => start >= since).map(([, ms]) => ms)));
/** perf_hooks' GC kinds: a scavenge (minor), a mark-compact (major), incremental marking, weak callbacks. */
const GC_KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
/**
 * GC pauses since `since` by kind: how many, their total and the longest, in ms. Which kind blocks
 * a request says which lever helps: scavenges grow with short-lived garbage, mark-compacts with
 * what survives into the old generation.
 */
function gcByKind(since) {
  const kinds = {};
  for (const [start, ms, kind] of gcPauses) {
    if (start < since) continue;
    const k = (kinds[GC_KINDS[kind] ?? `kind ${kind}`] ??= { count: 0, totalMs: 0, longestMs: 0 });
    k.count++;
    k.totalMs += ms;
    k.longestMs = Math.max(k.longestMs, ms);
  }
  for (const k of Object.values(kinds)) {
    k.totalMs = round2(k.totalMs);
    k.longestMs = round2(k.longestMs);
  }
  return kinds;
}
const describeGc = (kinds) =>
  Object.entries(kinds)
    .map(([kind, k]) => `${kind} ${k.count}× longest ${k.longestMs} ms (total ${k.totalMs} ms)`)
    .join(', ') || 'none';

/** The inspector session of --heap-sample, connected to this thread. */
const sampler = values['heap-sample'] ? new Session() : undefined;
if (sampler) sampler.connect();

/**
 * Runs `work` under V8's sampling heap profiler (every ~4 KB allocated, objects a GC already
 * collected included: the garbage is the point) when --heap-sample is given, and logs the sites
 * that allocated most (self size, by function and line).
 */
async function sampleHeap(phase, work) {
  if (!sampler) return work();
  await sampler.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const value = await work();
  const { profile } = await sampler.post('HeapProfiler.stopSampling');
  writeFileSync(`${values['heap-sample']}-${phase}.heapprofile`, JSON.stringify(profile));
  const sites = new Map();
  let total = 0;
  const walk = (node) => {
    const f = node.callFrame;
    const site = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    sites.set(site, (sites.get(site) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  const top = [...sites].sort((a, b) => b[1] - a[1]).slice(0, 20);
  log(`   heap sample of ${phase}: ${(total / 1e6).toFixed(1)} MB allocated (sampled)`);
  for (const [site, bytes] of top) log(`     ${(bytes / 1e6).toFixed(2)} MB  ${site}`);
  return value;
}

const { slimPod } = dist('cluster-state/records/pod');
const { slimWorkload } = dist('cluster-state/records/workload');
const { slimSpecObject } = dist('cluster-state/records/spec-object');
const { evaluate, evaluateSliced } = dist('diagnostics/evaluate');
const { snapshotInput } = dist('diagnostics/snapshot-input');
const { ClusterDiagnostics } = dist('diagnostics/cluster-diagnostics');
const { IncrementalEvaluation } = dist('diagnostics/incremental-evaluation');
const { DiagnosticsIsolate } = dist('diagnostics/diagnostics-isolate');
const { RemoteDiagnostics } = dist('diagnostics/remote-diagnostics');
const { Slicer } = dist('diagnostics/slicer');
const { ClusterAggregates } = dist('monitor/cluster-aggregates');
const { resourceOverview, overviewStatus, OVERVIEW_KINDS } = dist('overview/overview-views');

const created = new Date(Date.now() - 86_400_000).toISOString();
const ns = (i) => `ns-${Math.floor(i / PER_NAMESPACE)}`;
const dep = (i) => `d-${Math.floor(i / PER_DEPLOYMENT)}`;

function rawPod(i, fault) {
  const ok = { type: 'Ready', status: 'True', lastTransitionTime: created };
  return {
    metadata: {
      name: `${dep(i)}-7c9f8-${i}`,
      namespace: ns(i),
      uid: `uid-${i}`,
      creationTimestamp: created,
      labels: { app: dep(i), 'pod-template-hash': '7c9f8' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${dep(i)}-7c9f8`, controller: true },
      ],
      managedFields: [{ manager: 'kube-controller-manager' }],
    },
    spec: {
      nodeName: `node-${i % 3000}`,
      serviceAccountName: 'default',
      containers: [
        {
          name: 'app',
          image: 'registry.example/app:1.0',
          envFrom: [{ configMapRef: { name: `${dep(i)}-config` } }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        },
      ],
      volumes: [
        {
          name: 'kube-api-access-x',
          projected: {
            sources: [{ serviceAccountToken: {} }, { configMap: { name: 'kube-root-ca.crt' } }],
          },
        },
      ],
    },
    status: {
      phase: 'Running',
      conditions: ['PodScheduled', 'Initialized', 'ContainersReady']
        .map((type) => ({ ...ok, type }))
        .concat(fault ? [{ ...ok, status: 'False' }] : [ok]),
      containerStatuses: [
        fault
          ? {
              name: 'app',
              ready: false,
              restartCount: 7,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { reason: 'Error', exitCode: 1 } },
            }
          : {
              name: 'app',
              ready: true,
              restartCount: 0,
              state: { running: { startedAt: created } },
            },
      ],
    },
  };
}

/** The snapshot port over plain maps, as the Monitor's cache presents it. */
function snapshotOf(kinds) {
  const listeners = new Set();
  const maps = Object.fromEntries(
    Object.entries(kinds).map(([k, list]) => [k, new Map(list.map((r) => [key(r), r]))]),
  );
  return {
    clusterId: 'bench',
    settled: true,
    maps,
    list: (kind) => [...(maps[kind]?.values() ?? [])],
    get: (kind, name, namespace) => maps[kind]?.get(namespace ? `${namespace}/${name}` : name),
    caches: (kind) => kind in maps,
    status: () => Object.fromEntries(Object.keys(maps).map((k) => [k, { lastSyncedAt: created }])),
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    aggregates: { allocation: () => undefined },
    put(kind, record) {
      maps[kind].set(key(record), record);
      for (const l of listeners) l({ kind, type: 'updated', record });
    },
  };
}
function key(r) {
  const name = r.name ?? r.metadata?.name;
  const namespace = r.namespace ?? r.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

// 1. Heap per slim pod.
const before = await settledMemory();
const pods = new Map();
for (let i = 0; i < PODS; i++) {
  const record = slimPod(rawPod(i, i % 100 === 0));
  pods.set(key(record), record);
}
const after = await settledMemory();
result.heapPerPodBytes = Math.round((after.heapUsed - before.heapUsed) / PODS);
log(`1. heap per slim pod: ${result.heapPerPodBytes} B (${PODS} pods, 1 % faulty)`);

// 2. Full evaluation.
const deployments = [];
const replicasets = [];
const services = [];
const configmaps = [];
for (let d = 0; d < PODS / PER_DEPLOYMENT; d++) {
  const i = d * PER_DEPLOYMENT;
  const meta = { name: dep(i), namespace: ns(i), creationTimestamp: created };
  const status = {
    availableReplicas: 10,
    readyReplicas: 10,
    updatedReplicas: 10,
    conditions: [{ type: 'Available', status: 'True' }],
  };
  deployments.push(slimWorkload({ metadata: meta, spec: { replicas: 10 }, status }));
  replicasets.push(
    slimWorkload({
      metadata: {
        ...meta,
        name: `${dep(i)}-7c9f8`,
        ownerReferences: [{ kind: 'Deployment', name: dep(i), controller: true }],
      },
      spec: { replicas: 10 },
      status,
    }),
  );
  services.push(
    slimSpecObject({ metadata: meta, spec: { selector: { app: dep(i) }, ports: [{ port: 80 }] } }),
  );
  configmaps.push({ name: `${dep(i)}-config`, namespace: ns(i) });
}
const snapshot = snapshotOf({
  pods: [...pods.values()],
  deployments,
  replicasets,
  statefulsets: [],
  daemonsets: [],
  services,
  configmaps,
  nodes: [],
  warningevents: [],
});
const times = [];
const cpu = [];
let found = [];
for (let r = 0; r < Number(values.runs); r++) {
  const t = performance.now();
  const c = process.cpuUsage();
  found = evaluate('bench', snapshotInput(snapshot));
  times.push(performance.now() - t);
  cpu.push(process.cpuUsage(c).user / 1000);
}
const count = found.length;
// Per code, so that two builds can be shown to find the same.
const byCode = {};
for (const f of found) byCode[f.code] = (byCode[f.code] ?? 0) + 1;
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
result.evaluation = {
  findings: count,
  medianMs: Math.round(times[times.length >> 1]),
  maxMs: Math.round(times.at(-1)),
  medianCpuMs: Math.round(cpu[cpu.length >> 1]),
  byCode,
};
log(
  `2a. full evaluation in one pass: ${count} findings, median ${result.evaluation.medianMs} ms (CPU ${result.evaluation.medianCpuMs} ms), max ${result.evaluation.maxMs} ms`,
);
/**
 * Measures the synchronous stretches of a sliced evaluation: its pause() records the time since
 * the last resume, and whether the OS preempted the process meanwhile (an involuntary context
 * switch, from getrusage). On this shared 2-core machine (load 10+) a third of 2 ms slices are
 * preempted and then last 5-80 ms for reasons no code change can touch: the unpreempted slices
 * show what the code itself holds the event loop for.
 */
class SliceMeter {
  all = [];
  clean = [];
  preempted = 0;
  last = performance.now();
  switches = process.resourceUsage().involuntaryContextSwitches;
  pause = async () => {
    this.finish();
    await new Promise((resolve) => setImmediate(resolve));
    this.restart();
  };
  /** Records the stretch since the last restart (a pause, or the end of an evaluation). */
  finish() {
    const ms = performance.now() - this.last;
    const switches = process.resourceUsage().involuntaryContextSwitches;
    this.all.push(ms);
    if (switches === this.switches) this.clean.push(ms);
    else this.preempted++;
  }
  restart() {
    this.last = performance.now();
    this.switches = process.resourceUsage().involuntaryContextSwitches;
  }
  figures() {
    const all = [...this.all].sort((a, b) => a - b);
    const clean = [...this.clean].sort((a, b) => a - b);
    return {
      slices: all.length,
      p50SliceMs: round2(percentile(all, 50)),
      p99SliceMs: round2(percentile(all, 99)),
      maxSliceMs: round2(all.at(-1) ?? 0),
      preemptedSlices: this.preempted,
      // null, not NaN, when the OS preempted every slice of the phase: there is no figure then.
      unpreemptedP99SliceMs: clean.length ? round2(percentile(clean, 99)) : null,
      unpreemptedMaxSliceMs: clean.length ? round2(clean.at(-1)) : null,
    };
  }
}
const describeSlices = (f) =>
  `${f.slices} slices: p50 ${f.p50SliceMs} ms, p99 ${f.p99SliceMs} ms, max ${f.maxSliceMs} ms; ${f.preemptedSlices} preempted by the OS; ${f.unpreemptedP99SliceMs === null ? 'none unpreempted' : `unpreempted p99 ${f.unpreemptedP99SliceMs} ms, max ${f.unpreemptedMaxSliceMs} ms`}`;

// The sliced evaluation as the live engine slices it, and the event loop's own view of it (a
// 1 ms timer's worst delay).
const slicedMeter = new SliceMeter();
const slicedLoop = monitorEventLoopDelay({ resolution: 1 });
const slicedTimes = [];
const slicedSince = performance.now();
slicedLoop.enable();
await sampleHeap('sliced', async () => {
  for (let r = 0; r < Number(values.runs); r++) {
    const t = performance.now();
    slicedMeter.restart();
    await evaluateSliced('bench', snapshotInput(snapshot), new Slicer(slicedMeter.pause));
    slicedMeter.finish();
    slicedTimes.push(performance.now() - t);
  }
});
slicedLoop.disable();
slicedTimes.sort((a, b) => a - b);
result.slicedEvaluation = {
  wallMedianMs: Math.round(slicedTimes[slicedTimes.length >> 1]),
  ...slicedMeter.figures(),
  eventLoopDelayMaxMs: round2(slicedLoop.max / 1e6),
  longestGcPauseMs: longestGc(slicedSince),
  gc: gcByKind(slicedSince),
};
log(
  `2b. sliced evaluation: wall median ${result.slicedEvaluation.wallMedianMs} ms; ${describeSlices(result.slicedEvaluation)}; event-loop delay max ${result.slicedEvaluation.eventLoopDelayMaxMs} ms, longest GC pause ${result.slicedEvaluation.longestGcPauseMs} ms; GC: ${describeGc(result.slicedEvaluation.gc)}`,
);

// Written synchronously, so that exiting here cannot cut the output short.
if (values['first-only']) process.exit(finish());

// 2c. What the engine keeps after its first evaluation (pod index, per-object results, findings):
// every byte of it was copied by scavenges while that evaluation ran, so it is a latency figure too.
{
  const before = await settledMemory();
  const kept = new IncrementalEvaluation(snapshot);
  await sampleHeap('first', () => kept.run(Date.now(), async () => undefined));
  const after = await settledMemory();
  result.retainedAfterFirstEvaluationMB = round2((after.heapUsed - before.heapUsed) / 1e6);
  log(
    `2c. heap the engine keeps after its first evaluation: ${result.retainedAfterFirstEvaluationMB} MB (${kept.lastRun.slices} slices)`,
  );
}

// 3. One pod change → finding opened.
const keepAlive = setInterval(() => undefined, 1000); // the engine's timers are unref'd
const engineMeter = new SliceMeter();
/** Called after the engine's next evaluation (a ConfigMap change waits for it). */
let afterEvaluation;
const engine = new ClusterDiagnostics(snapshot, {
  debounceMs: 250,
  resyncMs: 3_600_000,
  pause: () => engineMeter.pause(),
  onEvaluated: (e) => {
    log(
      `   evaluation: ${Math.round(e.evaluationMs)} ms wall, ${e.lastRun.slices} slices, longest ${e.lastRun.longestSliceMs.toFixed(2)} ms, ${e.list().length} findings`,
    );
    afterEvaluation?.();
  },
});
// An evaluation's first stretch starts when its debounce timer fires, and its last one ends with
// it: the engine's private evaluateOnce is wrapped so the idle debounce wait is not counted.
const evaluateOnce = engine.evaluateOnce.bind(engine);
engine.evaluateOnce = async (now) => {
  engineMeter.restart();
  await evaluateOnce(now);
  engineMeter.finish();
};
engine.start();
await engine.evaluateInSlices();

/**
 * Runs --changes changes one after another through the engine (`change` resolves when the engine
 * has taken it): their delays, the engine's slices, the event loop's worst delay and the GC pauses
 * meanwhile (a sampling heap profile of them with --heap-sample).
 */
async function throughEngine(phase, change) {
  engineMeter.all = [];
  engineMeter.clean = [];
  engineMeter.preempted = 0;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const delays = [];
  loop.enable();
  const since = performance.now();
  await sampleHeap(phase, async () => {
    for (let c = 0; c < Number(values.changes); c++) delays.push(await change());
  });
  loop.disable();
  delays.sort((a, b) => a - b);
  return {
    changes: delays.length,
    p50Ms: Math.round(percentile(delays, 50)),
    p99Ms: Math.round(percentile(delays, 99)),
    ...engineMeter.figures(),
    eventLoopDelayMaxMs: round2(loop.max / 1e6),
    longestGcPauseMs: longestGc(since),
    gc: gcByKind(since),
  };
}
const describeChanges = (f) =>
  `p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms; ${describeSlices(f)}; event-loop delay max ${f.eventLoopDelayMaxMs} ms, longest GC pause ${f.longestGcPauseMs} ms; GC: ${describeGc(f.gc)}`;

let nextChange = 0;
/**
 * A pod that has not crashed yet turns CrashLoopBackOff; resolves when `diagnostics` (the engine
 * here, or the one in the worker) announces its finding.
 */
const podChangeThrough = (diagnostics) => async () => {
  const i = 1 + (nextChange++ % (PODS / PER_DEPLOYMENT - 1));
  const pod = i * PER_DEPLOYMENT + 1 + (Math.floor(nextChange / (PODS / PER_DEPLOYMENT)) % 8);
  // Opened, or updated when that Deployment already had a crashing pod (its count grows).
  const opened = new Promise((resolve) => {
    const off = diagnostics.onChange((change) => {
      if (change.type === 'resolved' || change.finding.object.name !== dep(pod)) return;
      off();
      resolve();
    });
  });
  const t = performance.now();
  snapshot.put('pods', slimPod(rawPod(pod, true)));
  await opened;
  return performance.now() - t;
};
const oneChange = podChangeThrough(engine);
result.change = await throughEngine('changes', oneChange);
log(`3. change → finding: ${describeChanges(result.change)}`);

// 3b. One ConfigMap change: the pods that may reference it (its namespace's) are evaluated again.
let nextConfigMap = 0;
/** A ConfigMap is written again (a new record); resolves when the engine has evaluated it. */
async function configMapChange() {
  const i = (nextConfigMap++ % (PODS / PER_DEPLOYMENT)) * PER_DEPLOYMENT;
  const evaluated = new Promise((resolve) => (afterEvaluation = resolve));
  const t = performance.now();
  snapshot.put('configmaps', { name: `${dep(i)}-config`, namespace: ns(i) });
  await evaluated;
  afterEvaluation = undefined;
  return performance.now() - t;
}
result.configMapChange = await throughEngine('configmaps', configMapChange);
log(`3b. ConfigMap change → evaluated: ${describeChanges(result.configMapChange)}`);

// 4. Overview requests while diagnostics run.
const aggregates = new ClusterAggregates();
for (const pod of snapshot.maps.pods.values()) aggregates.pod(pod, 1);
for (const d of deployments) aggregates.named('deployments', d, 1);
for (const s of services)
  aggregates.named('services', { name: s.metadata.name, namespace: s.metadata.namespace }, 1);
const synced = { state: 'synced', mode: 'watch', lastSyncedAt: created, ageSeconds: 0, lists: 1 };
const status = overviewStatus(
  Object.fromEntries(
    OVERVIEW_KINDS.map((k) => [k, { ...synced, count: snapshot.maps[k]?.size ?? 0 }]),
  ),
);
const server = http.createServer((req, res) => {
  const body = JSON.stringify({
    data: resourceOverview({
      cluster: { id: 'bench', name: 'bench' },
      aggregates,
      status,
      lastUpdated: Date.now(),
      usage: undefined,
      health: undefined,
    }),
  });
  res.writeHead(200, { 'content-type': 'application/json' }).end(body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/overview`;
const LOAD_MS = Number(values['load-seconds']) * 1000;
const RATE = Number(values.rate);
const LOAD_IN = values['load-in'];
if (!['process', 'thread'].includes(LOAD_IN)) throw new Error('--load-in is process or thread');

/** The open-loop client: `rate` overview requests per second for `ms`, then its latencies as JSON. */
const LOAD_CLIENT = `const http = require('node:http');
    const [url, ms, rate] = process.argv.slice(-3).map((a, i) => (i ? Number(a) : a));
    const report = (m) => (typeof process.send === 'function' ? process.send(m) : require('node:worker_threads').parentPort.postMessage(m));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const latencies = [];
    const start = performance.now();
    let sent = 0, done = 0, failed = 0;
    const total = Math.floor((ms / 1000) * rate);
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / rate <= now) {
        const due = start + (sent++ * 1000) / rate;
        http.get(url, { agent }, (res) => {
          res.resume();
          res.on('end', () => { latencies.push([performance.timeOrigin + due, performance.now() - due]); finish(); });
        }).on('error', () => { failed++; finish(); });
      }
      if (sent < total) setTimeout(tick, 1);
    };
    const finish = () => { if (++done === total) { agent.destroy(); report({ latencies, failed }); } };
    report({ ready: true });
    tick();`;

/**
 * Overview latencies (ms, sorted) under a fixed request rate for `ms`, and each request as [when it
 * was due, as an epoch ms comparable across processes, its latency]. The client runs in its own
 * process (--load-in process, the default), as real clients do: in a worker thread of this process
 * (--load-in thread, the bench before 2026-12-03) its GC tasks queue on the same V8 helper threads
 * as this process's scavenges. Resolves `ready` once the client runs.
 */
function load(ms = LOAD_MS) {
  const args = [url, String(ms), String(RATE)];
  const client =
    LOAD_IN === 'thread'
      ? new Worker(LOAD_CLIENT, { eval: true, argv: args })
      : spawn(process.execPath, ['-e', LOAD_CLIENT, ...args], {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
  let started;
  const ready = new Promise((resolve) => (started = resolve));
  const stop = () => (LOAD_IN === 'thread' ? void client.terminate() : client.kill());
  const done = new Promise((resolve, reject) => {
    client.on('message', (m) => {
      if (m.ready) return started();
      if (m.failed) reject(new Error(`${m.failed} overview requests failed`));
      else {
        const latencies = m.latencies.map(([, ms]) => ms).sort((a, b) => a - b);
        resolve(Object.assign(latencies, { requests: m.latencies }));
      }
      stop();
    });
    client.once('error', reject);
  });
  return Object.assign(done, { ready });
}

/** Count, p50, p99 and max of sorted latencies (ms). */
const latencyFigures = (sorted) => ({
  requests: sorted.length,
  p50Ms: round2(percentile(sorted, 50)),
  p99Ms: round2(percentile(sorted, 99)),
  maxMs: round2(sorted.at(-1) ?? 0),
});

/** Runs `work` over and over while the load runs; overview latencies and the loop's worst delay. */
async function underLoad(name, work) {
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  let stop = false;
  let rounds = 0;
  const since = performance.now();
  const loaded = load().finally(() => (stop = true));
  loopDelay.enable();
  const busy = (async () => {
    while (!stop && work) {
      await work();
      rounds++;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const latencies = await loaded;
  await busy;
  loopDelay.disable();
  const figures = {
    ...latencyFigures(latencies),
    rounds,
    eventLoopDelayMaxMs: round2(loopDelay.max / 1e6),
    longestGcPauseMs: longestGc(since),
    gc: gcByKind(since),
  };
  log(
    `4. overview at ${RATE}/s, ${name}: p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms (${figures.requests} requests, ${rounds} rounds); event-loop delay max ${figures.eventLoopDelayMaxMs} ms, longest GC pause ${figures.longestGcPauseMs} ms; GC: ${describeGc(figures.gc)}`,
  );
  return figures;
}

const pause = () => new Promise((resolve) => setImmediate(resolve));
const epochNow = () => performance.timeOrigin + performance.now();

/**
 * What the live engine does once per cluster after its first sync, measured as it happens there:
 * ONE first evaluation (a new engine: the pod index built, every pod evaluated, sliced) while the
 * overview is loaded, `rounds` times, each from a collected heap after 500 ms of load alone.
 * Reports the requests due while it ran against those due before it in the same rounds.
 */
async function oneFirstEvaluation(
  rounds,
  name = 'ONE first evaluation',
  firstEvaluation = () => new IncrementalEvaluation(snapshot).run(Date.now(), pause),
) {
  const during = [];
  const before = [];
  const gcs = [];
  let loopMax = 0;
  for (let r = 0; r < rounds; r++) {
    globalThis.gc();
    const loaded = load(1500);
    await loaded.ready;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const loop = monitorEventLoopDelay({ resolution: 1 });
    const since = performance.now();
    const from = epochNow();
    loop.enable();
    await firstEvaluation();
    loop.disable();
    const to = epochNow();
    gcs.push(gcByKind(since));
    loopMax = Math.max(loopMax, loop.max / 1e6);
    for (const [due, ms] of (await loaded).requests)
      if (due >= from && due <= to) during.push(ms);
      else if (due < from) before.push(ms);
  }
  const figures = (list) => latencyFigures(list.sort((a, b) => a - b));
  const longest = (kind) => Math.max(0, ...gcs.map((g) => g[kind]?.longestMs ?? 0));
  const result = {
    rounds,
    during: figures(during),
    before: figures(before),
    eventLoopDelayMaxMs: round2(loopMax),
    longestScavengeMs: longest('minor'),
    longestMarkCompactMs: longest('major'),
    scavengesPerEvaluation: round2(gcs.reduce((n, g) => n + (g.minor?.count ?? 0), 0) / rounds),
    longestScavengePerRoundMs: gcs.map((g) => g.minor?.longestMs ?? 0),
  };
  log(
    `4. overview at ${RATE}/s, during ${name} (${rounds} rounds): p50 ${result.during.p50Ms} ms, p99 ${result.during.p99Ms} ms, max ${result.during.maxMs} ms (${result.during.requests} requests); before it: p50 ${result.before.p50Ms} ms, p99 ${result.before.p99Ms} ms, max ${result.before.maxMs} ms; event-loop delay max ${result.eventLoopDelayMaxMs} ms; scavenges per evaluation ${result.scavengesPerEvaluation}, longest ${result.longestScavengeMs} ms (per round: ${result.longestScavengePerRoundMs.join(', ')}); longest mark-compact ${result.longestMarkCompactMs} ms`,
  );
  return result;
}

result.overview = { rate: RATE, seconds: LOAD_MS / 1000 };
await load(); // warm-up: connections, JIT of the handler; not recorded
result.overview.idle = await underLoad('idle', undefined);
result.overview.slicedFullEvaluations = await underLoad('during sliced full evaluations', () =>
  evaluateSliced('bench', snapshotInput(snapshot), new Slicer(pause)),
);
// What the live engine runs when it starts: the pod index built and every pod evaluated, sliced.
result.overview.firstEvaluations = await underLoad(
  'during first evaluations (a new engine each round)',
  () => new IncrementalEvaluation(snapshot).run(Date.now(), pause),
);
result.overview.oneFirstEvaluation = await oneFirstEvaluation(Number(values['first-rounds']));
result.overview.podChanges = await underLoad('during pod changes (engine, incremental)', oneChange);

result.overview.configMapChanges = await underLoad(
  'during ConfigMap changes (engine, one namespace)',
  configMapChange,
);
// The in-process engine stops here: it would evaluate every change of the phases below as well.
engine.stop();
// The same, with the engine in the diagnostics worker (what the service runs when built): this
// thread only forwards the snapshot and its changes and keeps the findings reported back.
const isolate = new DiagnosticsIsolate('worker');
const remoteOptions = { debounceMs: 250, resyncMs: 3_600_000 };
// What the engine in the worker costs this thread: forwarding (the outbox's slices of posting) and
// taking each evaluation's changes (the handler; the message's deserialization comes before it and
// shows in the event-loop delay only).
const onThisThread = { posting: [], receiving: [] };
/** This thread's involuntary context switches (Linux): a piece during which it rose was preempted. */
const preemptions = () =>
  Number(
    /nonvoluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync('/proc/thread-self/status', 'utf8'))[1],
  );
for (const [method, into] of [
  ['pump', onThisThread.posting],
  ['receive', onThisThread.receiving],
]) {
  const original = RemoteDiagnostics.prototype[method];
  RemoteDiagnostics.prototype[method] = function (...args) {
    const switches = preemptions();
    const t = performance.now();
    const value = original.apply(this, args);
    into.push([performance.now() - t, preemptions() !== switches]);
    return value;
  };
}
/**
 * Pieces of work on this thread: all of them, and those during which the OS did not preempt this
 * thread (what the code itself holds the event loop for). process.threadCpuUsage() was tried for
 * the latter: its per-piece figures exceeded the pieces' wall times (tick-based accounting).
 */
const pieces = (list) => {
  const all = list.map(([ms]) => ms).sort((a, b) => a - b);
  const clean = list
    .filter(([, preempted]) => !preempted)
    .map(([ms]) => ms)
    .sort((a, b) => a - b);
  list.length = 0;
  return {
    count: all.length,
    maxMs: round2(all.at(-1) ?? 0),
    preempted: all.length - clean.length,
    unpreemptedP99Ms: clean.length ? round2(percentile(clean, 99)) : null,
    unpreemptedMaxMs: clean.length ? round2(clean.at(-1)) : null,
  };
};
result.overview.oneFirstEvaluationInWorker = await oneFirstEvaluation(
  Number(values['first-rounds']),
  'ONE first evaluation in the worker (snapshot sent, evaluated, findings back)',
  async () => {
    const remote = new RemoteDiagnostics(snapshot, isolate, remoteOptions);
    remote.start();
    await remote.evaluateInSlices();
    if (remote.list().length === 0) throw new Error('the worker found nothing');
    remote.stop();
  },
);
result.overview.oneFirstEvaluationInWorker.thisThread = {
  posting: pieces(onThisThread.posting),
  receiving: pieces(onThisThread.receiving),
};
log(
  `   on this thread: posting ${JSON.stringify(result.overview.oneFirstEvaluationInWorker.thisThread.posting)}, receiving ${JSON.stringify(result.overview.oneFirstEvaluationInWorker.thisThread.receiving)}`,
);
const remote = new RemoteDiagnostics(snapshot, isolate, remoteOptions);
remote.start();
await remote.evaluateInSlices();
onThisThread.posting.length = onThisThread.receiving.length = 0;
const oneRemoteChange = podChangeThrough(remote);
{
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const since = performance.now();
  const delays = [];
  loop.enable();
  for (let c = 0; c < Number(values.changes); c++) delays.push(await oneRemoteChange());
  loop.disable();
  delays.sort((a, b) => a - b);
  result.changeInWorker = {
    thisThread: {
      posting: pieces(onThisThread.posting),
      receiving: pieces(onThisThread.receiving),
    },
    changes: delays.length,
    p50Ms: Math.round(percentile(delays, 50)),
    p99Ms: Math.round(percentile(delays, 99)),
    eventLoopDelayMaxMs: round2(loop.max / 1e6),
    longestGcPauseMs: longestGc(since),
    gc: gcByKind(since),
  };
  log(
    `3w. change → finding, engine in the worker: p50 ${result.changeInWorker.p50Ms} ms, p99 ${result.changeInWorker.p99Ms} ms; this thread: event-loop delay max ${result.changeInWorker.eventLoopDelayMaxMs} ms, GC: ${describeGc(result.changeInWorker.gc)}, posting ${JSON.stringify(result.changeInWorker.thisThread.posting)}, receiving ${JSON.stringify(result.changeInWorker.thisThread.receiving)}`,
  );
}
result.overview.podChangesInWorker = await underLoad(
  'during pod changes (engine in the worker)',
  oneRemoteChange,
);
remote.stop();
await isolate.close();
result.overview.onePassEvaluations = await underLoad(
  'during one-pass evaluations (before slicing)',
  async () => evaluate('bench', snapshotInput(snapshot)),
);
server.close();
engine.stop();

// 2w. What the worker holds for this cluster (mirror, index, results), measured last: taking a heap
// snapshot is the one way to collect a worker's heap from here, and it sends this thread ~100 MB.
{
  const worker = new DiagnosticsIsolate('worker');
  await new Promise((resolve) => worker.port.once('online', resolve));
  const heap = async () => {
    for await (const chunk of await worker.port.getHeapSnapshot()) void chunk;
    return (await worker.port.getHeapStatistics()).used_heap_size;
  };
  const before = await heap();
  const held = new RemoteDiagnostics(snapshot, worker, remoteOptions);
  held.start();
  await held.evaluateInSlices();
  const after = await heap();
  result.workerHeap = {
    beforeMB: round2(before / 1e6),
    afterFirstEvaluationMB: round2(after / 1e6),
  };
  log(
    `2w. the worker's heap (collected): ${result.workerHeap.beforeMB} MB before its cluster was sent, ${result.workerHeap.afterFirstEvaluationMB} MB after its first evaluation`,
  );
  held.stop();
  await worker.close();
}
clearInterval(keepAlive);
finish();

/** Writes the result (stdout, and --json) with the load average at the end. */
function finish() {
  result.loadAverageAtEnd = loadavg().map((l) => Number(l.toFixed(2)));
  log(
    `load average at start ${result.loadAverageAtStart.join(' ')}, at end ${result.loadAverageAtEnd.join(' ')}`,
  );
  if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
  writeFileSync(1, `${JSON.stringify(result)}\n`);
  return 0;
}
