// Diagnostics at scale, in one process (run with --expose-gc, after npm run build):
//  1. heap per pod of the slim pod record (#12 item 3), realistic pods (owned by a ReplicaSet, a
//     service-account token volume, a ConfigMap env source, all conditions True), 1 % of them faulty;
//  2. full evaluation time of every detector over the cluster (median and max of --runs), in one
//     pass and sliced as the live engine runs it (the longest synchronous slice);
//  3. one pod change: a pod turns CrashLoopBackOff; time from the change to the finding opened
//     through ClusterDiagnostics (debounce + evaluation), and the longest event-loop stall seen
//     meanwhile (what an overview request would wait behind).
//   npm run bench:diagnostics -- [--pods 100000] [--runs 5] [--changes 20] [--json out.json]
/* global setImmediate */
import { writeFileSync } from 'node:fs';
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dist, settledMemory } from './lib/cloudpilot.mjs';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    changes: { type: 'string', default: '20' },
    json: { type: 'string' },
  },
});
const PODS = Number(values.pods);
const PER_DEPLOYMENT = 10;
const PER_NAMESPACE = 100;
const log = (...a) => console.error(new Date().toISOString(), ...a);
const result = { when: new Date().toISOString(), node: process.version, pods: PODS };

const { slimPod } = dist('cluster-state/records/pod');
const { slimWorkload } = dist('cluster-state/records/workload');
const { slimSpecObject } = dist('cluster-state/records/spec-object');
const { evaluate, evaluateSliced } = dist('diagnostics/evaluate');
const { snapshotInput } = dist('diagnostics/snapshot-input');
const { ClusterDiagnostics } = dist('diagnostics/cluster-diagnostics');

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
let count = 0;
for (let r = 0; r < Number(values.runs); r++) {
  const t = performance.now();
  const c = process.cpuUsage();
  count = evaluate('bench', snapshotInput(snapshot)).length;
  times.push(performance.now() - t);
  cpu.push(process.cpuUsage(c).user / 1000);
}
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
result.evaluation = {
  findings: count,
  medianMs: Math.round(times[times.length >> 1]),
  maxMs: Math.round(times.at(-1)),
  medianCpuMs: Math.round(cpu[cpu.length >> 1]),
};
log(
  `2a. full evaluation in one pass: ${count} findings, median ${result.evaluation.medianMs} ms (CPU ${result.evaluation.medianCpuMs} ms), max ${result.evaluation.maxMs} ms`,
);
// The sliced evaluation the live engine runs: the longest synchronous stretch between two pauses.
const stretches = [];
let last = performance.now();
for (let r = 0; r < Number(values.runs); r++) {
  last = performance.now();
  await evaluateSliced('bench', snapshotInput(snapshot), async () => {
    stretches.push(performance.now() - last);
    await new Promise((resolve) => setImmediate(resolve));
    last = performance.now();
  });
}
stretches.sort((a, b) => a - b);
result.slicedEvaluation = {
  slices: stretches.length / Number(values.runs),
  p50SliceMs: Number(stretches[stretches.length >> 1].toFixed(2)),
  p99SliceMs: Number(stretches[Math.floor(stretches.length * 0.99)].toFixed(2)),
  maxSliceMs: Number(stretches.at(-1).toFixed(2)),
};
log(
  `2b. sliced evaluation: ${result.slicedEvaluation.slices} slices, longest synchronous slice p50 ${result.slicedEvaluation.p50SliceMs} ms, p99 ${result.slicedEvaluation.p99SliceMs} ms, max ${result.slicedEvaluation.maxSliceMs} ms`,
);

// 3. One pod change → finding opened.
const keepAlive = setInterval(() => undefined, 1000); // the engine's timers are unref'd
const engine = new ClusterDiagnostics(snapshot, {
  debounceMs: 250,
  resyncMs: 3_600_000,
  onEvaluated: (e) =>
    log(`   evaluation: ${Math.round(e.evaluationMs)} ms, ${e.list().length} findings`),
});
engine.start();
engine.evaluateNow();
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
const delays = [];
for (let c = 0; c < Number(values.changes); c++) {
  const i = 1 + c * 37;
  // Opened, or updated when that Deployment already had a crashing pod (its count grows).
  const opened = new Promise((resolve) => {
    const off = engine.onChange((change) => {
      if (change.type === 'resolved' || change.finding.object.name !== dep(i * PER_DEPLOYMENT + 1))
        return;
      off();
      resolve();
    });
  });
  const t = performance.now();
  // The second pod of a Deployment starts crashing (never one of the 1 % already faulty).
  snapshot.put('pods', slimPod(rawPod(i * PER_DEPLOYMENT + 1, true)));
  await opened;
  delays.push(performance.now() - t);
}
loop.disable();
engine.stop();
clearInterval(keepAlive);
delays.sort((a, b) => a - b);
result.change = {
  changes: delays.length,
  p50Ms: Math.round(delays[Math.floor(delays.length * 0.5)]),
  p99Ms: Math.round(delays[Math.min(delays.length - 1, Math.floor(delays.length * 0.99))]),
  longestEventLoopStallMs: Math.round(loop.max / 1e6),
};
log(
  `3. change → finding: p50 ${result.change.p50Ms} ms, p99 ${result.change.p99Ms} ms; longest event-loop stall ${result.change.longestEventLoopStallMs} ms`,
);
if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
console.log(JSON.stringify(result));
