// CloudPilot's ClusterCache against the bench cluster, in one process (run with --expose-gc):
//  1. cold sync: new ClusterCache → settled (every kind LISTed, limit=500 + continue), wall ms;
//  2. memory: RSS and V8 heap after forced GCs, before the cache exists and after it has synced;
//  3. steady state: ClusterCache.stats() over --steady seconds (LIST requests should stay 0);
//  4. change delay: --changes probe pods are created, then each patched to phase Failed and finally
//     deleted, one at a time; the delay is from the API server's response to the write to the
//     moment the cache's aggregates (what GET …/overview reads) reflect it.
//   npm run bench:cache -- [--steady 180] [--changes 100] [--list stream|pages] [--json out.json]
// --list pages turns the streamed initial list (sendInitialEvents) off, as on an API server
// without the WatchList feature: paginated LISTs (limit=500 + continue) with the next page prefetched.
/* global queueMicrotask */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { benchClient, builtInPaths, dist, settledMemory } from './lib/cloudpilot.mjs';
import { kubeHttp, percentile, sleep } from './lib/kube.mjs';

const { values } = parseArgs({
  options: {
    steady: { type: 'string', default: '180' },
    changes: { type: 'string', default: '100' },
    json: { type: 'string' },
    list: { type: 'string', default: 'stream' },
    'probe-namespace': { type: 'string', default: `bench-delay-${Date.now().toString(36)}` },
  },
});
const log = (...a) => console.error(new Date().toISOString(), ...a);
const result = { when: new Date().toISOString(), node: process.version };

const { ClusterCache } = dist('monitor/cluster-cache');
const { resourceOverview } = dist('overview/overview-views');
const client = benchClient();
await client.request({ path: '/version' }); // connection machinery warmed and counted in "without"
const before = await settledMemory();

// 1. Cold sync.
const cache = new ClusterCache(client, builtInPaths(), { pollIntervalMs: 60_000 });
if (!['stream', 'pages'].includes(values.list)) throw new Error('--list is stream or pages');
if (values.list === 'pages') {
  // Bench-only switch (ClusterCache does not expose ListWatch's streamingList option): every
  // ListWatch of this process starts as on an API server without WatchList.
  const { ListWatch } = dist('kubernetes/list-watch');
  const start = ListWatch.prototype.start;
  ListWatch.prototype.start = function () {
    this.streamingList = false;
    return start.call(this);
  };
}
result.list = values.list;
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const t0 = performance.now();
cache.start();
const progress = setInterval(() => {
  const pods = cache.sections.get('pods').watch.stats;
  log(
    `syncing: pods LISTs ${pods.lists} (${pods.streamedLists} streamed), pages ${pods.pages}, relists after 410 ${pods.relistsAfterGone}, state ${cache.status().pods.state}`,
  );
}, 10_000);
await cache.whenSettled(900_000);
clearInterval(progress);
clearInterval(sampler);
const syncMs = performance.now() - t0;
const status = cache.status();
const notSynced = Object.entries(status).filter(([, s]) => s.state !== 'synced');
if (notSynced.length) throw new Error(`not synced: ${JSON.stringify(notSynced)}`);
const snapshot = () => ({
  cluster: { id: 'bench', name: 'bench' },
  aggregates: cache.aggregates,
  status: cache.status(),
  lastUpdated: cache.lastUpdated,
  usage: undefined,
  health: undefined,
});
const overview = resourceOverview(snapshot());
const pods = status.pods.count;
result.scale = {
  nodes: status.nodes.count,
  pods,
  namespaces: status.namespaces.count,
  objects: Object.values(status).reduce((n, s) => n + s.count, 0),
};
result.coldSyncMs = Math.round(syncMs);
result.statsAfterSync = cache.stats();
log(`cold sync ${result.coldSyncMs} ms`, result.scale, overview.pods);

// 2. Memory per cached pod.
const after = await settledMemory();
result.memory = {
  before,
  after,
  rssPerPodBytes: Math.round((after.rss - before.rss) / pods),
  heapPerPodBytes: Math.round((after.heapUsed - before.heapUsed) / pods),
  // Every kind's records are included in the difference; pods dominate.
  rssPerObjectBytes: Math.round((after.rss - before.rss) / result.scale.objects),
  // The highest RSS seen while syncing (sampled every 50 ms), above the RSS before the cache.
  peakRssAboveBeforeBytes: peakRss - before.rss,
};
log('memory', result.memory);

// 3. Steady state: LIST requests while the watches run.
const steadySeconds = Number(values.steady);
if (steadySeconds > 0) {
  const s0 = cache.stats();
  const w0 = performance.now();
  await sleep(steadySeconds * 1000);
  const s1 = cache.stats();
  const minutes = (performance.now() - w0) / 60_000;
  result.steady = {
    seconds: steadySeconds,
    listsPerMinute: (s1.lists - s0.lists) / minutes,
    lists: s1.lists - s0.lists,
    watchesOpened: s1.watches - s0.watches,
    eventsPerMinute: Math.round((s1.events - s0.events) / minutes),
    relistsAfterGone: s1.relistsAfterGone - s0.relistsAfterGone,
  };
  log('steady', result.steady);
}

// 4. Change delay, seen where the overview reads it: the pod aggregates.
const changes = Number(values.changes);
if (changes > 0) {
  const ns = values['probe-namespace'];
  const k = kubeHttp(undefined, { maxSockets: 4 });
  const podWatch = cache.sections.get('pods').watch;
  const waiters = new Map(); // key → { test(record, sign), resolve }
  const feed = cache.aggregates.pod.bind(cache.aggregates);
  cache.aggregates.pod = (record, sign) => {
    feed(record, sign);
    const key = `${record.namespace}/${record.name}`;
    const w = waiters.get(key);
    if (!w) return;
    const at = performance.now();
    // An update feeds −1 then +1 synchronously; a delete only −1: decide after this tick.
    queueMicrotask(() => {
      if (waiters.get(key) === w && w.test(podWatch.get(key), sign)) {
        waiters.delete(key);
        w.resolve(at);
      }
    });
  };
  const seen = (key, test) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${key}: change not seen within 30 s`)),
        30_000,
      );
      waiters.set(key, {
        test,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      });
    });
  async function timedWrite(key, test, write) {
    const seenAt = seen(key, test);
    const sent = performance.now();
    const res = await write();
    const answered = performance.now();
    if (res.status < 200 || res.status >= 300)
      throw new Error(`${key}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
    const at = await seenAt;
    return {
      fromResponse: Math.max(0, at - answered),
      fromRequest: at - sent,
      requestMs: answered - sent,
    };
  }
  const summary = (samples) => {
    const d = samples.map((s) => s.fromResponse).sort((a, b) => a - b);
    const r = samples.map((s) => s.requestMs).sort((a, b) => a - b);
    const round = (x) => Math.round(x * 10) / 10;
    return {
      n: d.length,
      p50: round(percentile(d, 50)),
      p90: round(percentile(d, 90)),
      p99: round(percentile(d, 99)),
      max: round(d[d.length - 1]),
      writeP50: round(percentile(r, 50)),
    };
  };
  const created = await k.request('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
  });
  if (created.status !== 201 && created.status !== 409)
    throw new Error(`namespace ${ns}: ${created.status}`);
  for (
    let i = 0;
    (await k.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status !== 200;
    i++
  ) {
    if (i > 300) throw new Error(`no default ServiceAccount in ${ns}`);
    await sleep(100);
  }
  const nodes = cache
    .list('nodes')
    .map((n) => n.name)
    .sort();
  const gap = () => sleep(100 + Math.random() * 100);
  const samples = { create: [], phase: [], delete: [] };
  for (let i = 0; i < changes; i++) {
    const name = `probe-${i}`;
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels: { app: 'bench-probe' } },
      spec: {
        nodeName: nodes[i % nodes.length],
        restartPolicy: 'Never',
        containers: [
          {
            name: 'app',
            image: 'registry.example/bench:1',
            resources: { requests: { cpu: '10m', memory: '16Mi' } },
          },
        ],
      },
    };
    samples.create.push(
      await timedWrite(
        `${ns}/${name}`,
        (r, sign) => sign === 1 && r !== undefined,
        () => k.request('POST', `/api/v1/namespaces/${ns}/pods`, { body: pod }),
      ),
    );
    await gap();
  }
  log('created probes', summary(samples.create));
  // The phase change is whatever the probe has (Pending until kwok gets to it, or Running) → Failed,
  // so the measurement does not wait for kwok, which lags by minutes while it fills 100k pods.
  for (let i = 0; i < changes; i++) {
    const key = `${ns}/probe-${i}`;
    samples.phase.push(
      await timedWrite(
        key,
        (r, sign) => sign === 1 && r?.phase === 'Failed',
        () =>
          k.request('PATCH', `/api/v1/namespaces/${ns}/pods/probe-${i}/status`, {
            body: { status: { phase: 'Failed' } },
            contentType: 'application/merge-patch+json',
          }),
      ),
    );
    await gap();
  }
  log('phase changes', summary(samples.phase));
  for (let i = 0; i < changes; i++) {
    const key = `${ns}/probe-${i}`;
    samples.delete.push(
      await timedWrite(
        key,
        (r, sign) => sign === -1 && r === undefined,
        () => k.request('DELETE', `/api/v1/namespaces/${ns}/pods/probe-${i}?gracePeriodSeconds=0`),
      ),
    );
    await gap();
  }
  log('deletes', summary(samples.delete));
  result.changeDelayMs = {
    create: summary(samples.create),
    phase: summary(samples.phase),
    delete: summary(samples.delete),
  };
  await k.request('DELETE', `/api/v1/namespaces/${ns}`);
  k.close();
}

await cache.stop();
const out = JSON.stringify(result, null, 2);
if (values.json) writeFileSync(values.json, out + '\n');
console.log(out);
