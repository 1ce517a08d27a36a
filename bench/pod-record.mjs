// Heap per cached pod, in one process without a cluster (run with --expose-gc after npm run build):
// --pods pods arrive as a watch stream delivers them (one JSON text per pod, parsed on arrival, so
// no string is shared by accident), go through the real WatchCache with the real slimPod, and the
// V8 heap after forced GCs minus the heap before, divided by the pods, is what the cache keeps per
// pod (record, its strings and objects, the Map entry and key, the resourceVersion).
//   node --expose-gc bench/pod-record.mjs [--pods 100000] [--shape bench|deployment] [--dist DIR]
// --shape bench: the bare pods of bench/fill.mjs once kwok made them Running (no owner, 10 label
// sets, 2,000 per namespace, 200 nodes); deployment: pods of 10-replica Deployments (ReplicaSet
// owner, pod-template-hash label, envFrom ConfigMap, token volume), 100 per namespace, 3,000 nodes.
// --dist compares another build (e.g. main's) on the same pods.
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from './lib/kube.mjs';
import { settledMemory } from './lib/cloudpilot.mjs';
import { shapes } from './lib/pod-shapes.mjs';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '100000' },
    shape: { type: 'string', default: 'bench' },
    dist: { type: 'string', default: join(repoRoot, 'dist') },
  },
});
const PODS = Number(values.pods);
const require = createRequire(import.meta.url);
const load = (m) => require(join(resolve(values.dist), `${m}.js`));
const { slimPod } = load('cluster-state/records/pod');
const { WatchCache } = load('kubernetes/watch-cache');

const shape = shapes[values.shape];
if (!shape) throw new Error('--shape is bench or deployment');
const before = await settledMemory();
const cache = new WatchCache(slimPod, {});
// Each event's text is built, parsed and dropped: only what the cache keeps survives the GCs.
for (let i = 0; i < PODS; i++)
  cache.upsert(JSON.parse(JSON.stringify({ type: 'ADDED', object: shape(i) })).object);
const after = await settledMemory();
const heapPerPod = (after.heapUsed - before.heapUsed) / PODS;
console.log(
  JSON.stringify({
    dist: values.dist,
    shape: values.shape,
    pods: cache.size,
    heapPerPodBytes: Math.round(heapPerPod),
    // RSS here includes what V8 kept of the parse garbage; bench:cache measures it on real syncs.
    rssPerPodBytes: Math.round((after.rss - before.rss) / PODS),
    node: process.version,
  }),
);
