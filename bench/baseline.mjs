// The seed's approach, as the baseline for issue #5: a TTL cache. A read after the TTL (60 s) has
// expired re-LISTs every monitored kind (same paths, limit=500 + continue, same Accept headers as
// ClusterCache, through the same KubeClient), keeps the full objects, and recomputes the overview
// from them (slim transform + fresh aggregates + the same resourceOverview view). Reads inside the
// TTL are answered from the last result; concurrent reads share one refresh.
//   npm run bench:baseline -- [--steady 180] [--changes 100] [--ttl 60] [--json out.json]
//   npm run bench:baseline -- --serve 8124      (HTTP server for bench:http --url)
/* global setImmediate */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { benchClient, builtInCachedKinds, dist, settledMemory } from './lib/cloudpilot.mjs';
import { kubeHttp, percentile, sleep } from './lib/kube.mjs';

const { values } = parseArgs({
  options: {
    ttl: { type: 'string', default: '60' },
    steady: { type: 'string', default: '180' },
    changes: { type: 'string', default: '100' },
    serve: { type: 'string' },
    json: { type: 'string' },
    'probe-namespace': { type: 'string', default: `bench-delay-${Date.now().toString(36)}` },
  },
});
const log = (...a) => console.error(new Date().toISOString(), ...a);
const META_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const MONITORED_KINDS = builtInCachedKinds();
const { ClusterAggregates } = dist('monitor/cluster-aggregates');
const { resourceOverview } = dist('overview/overview-views');

class TtlOverview {
  lists = 0;
  pages = 0;
  items = new Map();
  overview = undefined;
  fetchedAt = 0;
  inflight = undefined;
  constructor(client, ttlMs) {
    this.client = client;
    this.ttlMs = ttlMs;
  }
  /** What a request handler calls. */
  async get() {
    if (this.overview && Date.now() - this.fetchedAt < this.ttlMs) return this.overview;
    this.inflight ??= this.refresh().finally(() => (this.inflight = undefined));
    return this.inflight;
  }
  async refresh() {
    const lists = await Promise.all(MONITORED_KINDS.map((spec) => this.listAll(spec)));
    const aggregates = new ClusterAggregates();
    const status = {};
    const now = new Date().toISOString();
    MONITORED_KINDS.forEach((spec, i) => {
      for (const item of lists[i]) spec.feed(aggregates, spec.transform(item), 1);
      status[spec.key] = {
        state: 'synced',
        mode: 'poll',
        count: lists[i].length,
        lastSyncedAt: now,
        ageSeconds: 0,
      };
      this.items.set(spec.key, lists[i]);
    });
    this.fetchedAt = Date.now();
    this.overview = resourceOverview({
      cluster: { id: 'local', name: 'local' },
      aggregates,
      status,
      lastUpdated: this.fetchedAt,
      usage: undefined,
      health: undefined,
    });
    this.onRefresh?.();
    return this.overview;
  }
  async listAll(spec) {
    this.lists += 1;
    const items = [];
    let token;
    do {
      const page = await this.client.request({
        path: spec.path,
        query: { limit: 500, continue: token },
        accept: spec.metadataOnly ? META_LIST : undefined,
      });
      this.pages += 1;
      for (const item of page.items ?? []) items.push(item);
      token = page.metadata?.continue || undefined;
    } while (token);
    return items;
  }
}

const client = benchClient('local');
await client.request({ path: '/version' });
const ttl = new TtlOverview(client, Number(values.ttl) * 1000);

if (values.serve) {
  await ttl.get();
  const server = http.createServer(async (req, res) => {
    if (req.url !== '/api/v1/clusters/local/overview') {
      res.writeHead(404).end();
      return;
    }
    const data = await ttl.get();
    const body = JSON.stringify({ data });
    res
      .writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      })
      .end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(values.serve), '127.0.0.1', () =>
    log(`baseline serving on 127.0.0.1:${values.serve}`),
  );
} else {
  const result = {
    when: new Date().toISOString(),
    approach: `TTL ${values.ttl} s re-LIST + recompute`,
  };
  const before = await settledMemory();
  const t0 = performance.now();
  const first = await ttl.get();
  result.coldSyncMs = Math.round(performance.now() - t0);
  const pods = ttl.items.get('pods').length;
  result.scale = { nodes: first.nodes.total, pods };
  log(`cold ${result.coldSyncMs} ms`, result.scale);
  // Recomputing from the kept full objects alone (what a per-request recompute would cost).
  const r0 = performance.now();
  const aggregates = new ClusterAggregates();
  MONITORED_KINDS.forEach((spec) => {
    for (const item of ttl.items.get(spec.key)) spec.feed(aggregates, spec.transform(item), 1);
  });
  result.recomputeMs = Math.round(performance.now() - r0);
  const after = await settledMemory();
  result.memory = {
    before,
    after,
    rssPerPodBytes: Math.round((after.rss - before.rss) / pods),
    heapPerPodBytes: Math.round((after.heapUsed - before.heapUsed) / pods),
  };
  log('memory', result.memory);

  // Steady state with a client polling the overview every 100 ms, and phase changes meanwhile.
  const steadySeconds = Number(values.steady);
  const changes = Number(values.changes);
  const ns = values['probe-namespace'];
  const k = kubeHttp(undefined, { maxSockets: 4 });
  const pending = new Map(); // probe name → write-answered time
  const delays = [];
  ttl.onRefresh = () => {
    const at = performance.now();
    for (const pod of ttl.items.get('pods')) {
      if (pod.metadata.namespace !== ns || pod.status?.phase !== 'Failed') continue;
      const answered = pending.get(pod.metadata.name);
      if (answered !== undefined) {
        delays.push(at - answered);
        pending.delete(pod.metadata.name);
      }
    }
  };
  if (changes > 0) {
    const created = await k.request('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    });
    if (created.status !== 201 && created.status !== 409)
      throw new Error(`namespace ${ns}: ${created.status}`);
    for (
      let i = 0;
      (await k.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status !== 200;
      i++
    )
      await sleep(100);
    const nodes = (await k.json('GET', '/api/v1/nodes?limit=50', { accept: META_LIST })).items.map(
      (n) => n.metadata.name,
    );
    for (let i = 0; i < changes; i++) {
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `probe-${i}`, namespace: ns, labels: { app: 'bench-probe' } },
        spec: {
          nodeName: nodes[i % nodes.length],
          restartPolicy: 'Never',
          containers: [{ name: 'app', image: 'registry.example/bench:1' }],
        },
      };
      const r = await k.request('POST', `/api/v1/namespaces/${ns}/pods`, { body: pod });
      if (r.status !== 201) throw new Error(`probe-${i}: ${r.status} ${r.text.slice(0, 200)}`);
    }
    // Probes are patched to Failed from whatever phase they have (kwok may lag by minutes).
  }
  const s0 = { lists: ttl.lists, pages: ttl.pages };
  const w0 = performance.now();
  let stop = false;
  const poller = (async () => {
    while (!stop) {
      await ttl.get();
      await sleep(100);
    }
  })();
  // Changes spread uniformly over the first two thirds of the window, so each has time to show.
  const window = (steadySeconds * 1000 * 2) / 3;
  const schedule = Array.from({ length: changes }, () => Math.random() * window).sort(
    (a, b) => a - b,
  );
  for (let i = 0; i < changes; i++) {
    const wait = w0 + schedule[i] - performance.now();
    if (wait > 0) await sleep(wait);
    const r = await k.request('PATCH', `/api/v1/namespaces/${ns}/pods/probe-${i}/status`, {
      body: { status: { phase: 'Failed' } },
      contentType: 'application/merge-patch+json',
    });
    if (r.status !== 200) throw new Error(`probe-${i}: ${r.status} ${r.text.slice(0, 200)}`);
    pending.set(`probe-${i}`, performance.now());
  }
  const remaining = w0 + steadySeconds * 1000 - performance.now();
  if (remaining > 0) await sleep(remaining);
  // Make sure every change has been seen (at most one more TTL).
  while (pending.size && performance.now() - w0 < (steadySeconds + Number(values.ttl) + 30) * 1000)
    await sleep(200);
  stop = true;
  await poller;
  const minutes = (performance.now() - w0) / 60_000;
  result.steady = {
    seconds: Math.round(minutes * 60),
    listsPerMinute: Math.round(((ttl.lists - s0.lists) / minutes) * 10) / 10,
    pagesPerMinute: Math.round(((ttl.pages - s0.pages) / minutes) * 10) / 10,
  };
  if (changes > 0) {
    const d = delays.sort((a, b) => a - b);
    result.changeDelayMs = {
      phase: {
        n: d.length,
        unseen: pending.size,
        p50: Math.round(percentile(d, 50)),
        p90: Math.round(percentile(d, 90)),
        p99: Math.round(percentile(d, 99)),
        max: Math.round(d[d.length - 1]),
      },
    };
    await k.request('DELETE', `/api/v1/namespaces/${ns}`);
  }
  k.close();
  log('steady', result.steady, result.changeDelayMs);
  const out = JSON.stringify(result, null, 2);
  if (values.json) writeFileSync(values.json, out + '\n');
  console.log(out);
  setImmediate(() => process.exit(0));
}
