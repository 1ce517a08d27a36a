// What one cluster costs a replica (docs/scaling.md): --caches ClusterCaches of the same cluster,
// each with its own KubeClient as the Monitor gives every registered cluster, started together;
// the clients share one agent (connections) as the Monitor's client pool does, unless --own-agents.
// Reports, per cache: heap and RSS after forced GCs, open sockets to the API server (one per
// watch, plus the pooled request connection), the kinds watched or polled, and objects held.
//   BENCH_CLUSTER=dev npm run build && node --expose-gc bench/cluster-cost.mjs [--caches 10] [--own-agents]
import { parseArgs } from 'node:util';
import { benchClient, builtInPaths, dist, settledMemory } from './lib/cloudpilot.mjs';

const { values } = parseArgs({
  options: {
    caches: { type: 'string', default: '10' },
    'own-agents': { type: 'boolean', default: false },
  },
});
const n = Number(values.caches);
const { ClusterCache } = dist('monitor/cluster-cache');
const { SharedAgents } = dist('kubernetes/shared-agents');
const agents = values['own-agents'] ? undefined : new SharedAgents();
const sockets = () =>
  process.getActiveResourcesInfo().filter((r) => r === 'TLSSocketWrap' || r === 'TCPSocketWrap')
    .length;

// The warm-up client holds the shared agent, so its connection is counted before, as a fleet's is.
const warm = benchClient('warm', 60_000, agents);
await warm.request({ path: '/version' });
const before = await settledMemory();
const socketsBefore = sockets();
const caches = Array.from(
  { length: n },
  (_, i) =>
    new ClusterCache(benchClient(`c${i}`, 60_000, agents), builtInPaths(), {
      pollIntervalMs: 60_000,
    }),
);
const t0 = Date.now();
for (const cache of caches) cache.start();
await Promise.all(caches.map((c) => c.whenSettled(300_000)));
const syncMs = Date.now() - t0;
// Let every watch open its stream after the LIST before counting connections.
await new Promise((resolve) => setTimeout(resolve, 3000));
const after = await settledMemory();
const status = caches[0].status();
const kinds = Object.values(status);
const result = {
  caches: n,
  syncAllMs: syncMs,
  perCache: {
    heapKiB: Math.round((after.heapUsed - before.heapUsed) / n / 1024),
    rssKiB: Math.round((after.rss - before.rss) / n / 1024),
    externalKiB: Math.round((after.external - before.external) / n / 1024),
    arrayBuffersKiB: Math.round((after.arrayBuffers - before.arrayBuffers) / n / 1024),
    sockets: (sockets() - socketsBefore) / n,
    watchedKinds: kinds.filter((k) => k.mode === 'watch').length,
    polledKinds: kinds.filter((k) => k.mode !== 'watch').length,
    objects: kinds.reduce((sum, k) => sum + k.count, 0),
  },
  kinds: Object.fromEntries(Object.entries(status).map(([k, s]) => [k, `${s.mode}/${s.count}`])),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
await Promise.all(caches.map((c) => c.stop()));
process.exit(0);
