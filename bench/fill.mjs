// Fills the bench cluster with bare pods quickly: parallel POSTs over keep-alive HTTPS (kubectl
// create of 500-pod lists runs at ~100 pods/s here), each pod bound to a fake node round-robin so
// neither scheduler nor controller-manager is involved, then waits until kwok has made them Running.
//   npm run bench:fill -- --pods 100000 [--per-namespace 2000] [--concurrency 24] [--prefix bench-p] [--wait-only]
import { parseArgs } from 'node:util';
import { kubeHttp, pool, sleep } from './lib/kube.mjs';

const { values } = parseArgs({
  options: {
    pods: { type: 'string' },
    'per-namespace': { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '24' },
    prefix: { type: 'string', default: 'bench-p' },
    'no-wait': { type: 'boolean', default: false },
    'wait-only': { type: 'boolean', default: false },
  },
});
const total = Number(values.pods);
const perNs = Number(values['per-namespace']);
if (!total) throw new Error('--pods N is required');
const k = kubeHttp(undefined, { maxSockets: Number(values.concurrency) });

const nodes = (
  await k.json('GET', '/api/v1/nodes?labelSelector=type%3Dkwok', {
    accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
  })
).items.map((n) => n.metadata.name);
if (!nodes.length)
  throw new Error('no fake nodes: run npm run cluster:scale -- nodes N --name bench first');
const namespaces = Array.from(
  { length: Math.ceil(total / perNs) },
  (_, i) => `${values.prefix}-${String(i).padStart(3, '0')}`,
);
for (const ns of namespaces) {
  const r = await k.request('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
  });
  if (r.status !== 201 && r.status !== 409)
    throw new Error(`namespace ${ns}: ${r.status} ${r.text}`);
}
// The default ServiceAccount must exist before pods can be created in a namespace.
for (const ns of namespaces) {
  for (
    let i = 0;
    (await k.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status !== 200;
    i++
  ) {
    if (i > 600) throw new Error(`no default ServiceAccount in ${ns}`);
    await sleep(100);
  }
}

const started = Date.now();
if (!values['wait-only']) await post();

async function post() {
  let created = 0;
  let existed = 0;
  const indexes = Array.from({ length: total }, (_, i) => i);
  await pool(indexes, Number(values.concurrency), async (i) => {
    const ns = namespaces[Math.floor(i / perNs)];
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p-${i}`, namespace: ns, labels: { app: 'bench', shard: String(i % 10) } },
      spec: {
        nodeName: nodes[i % nodes.length],
        containers: [
          {
            name: 'app',
            image: 'registry.example/bench:1',
            resources: {
              requests: { cpu: '10m', memory: '16Mi' },
              limits: { cpu: '100m', memory: '64Mi' },
            },
          },
        ],
      },
    };
    for (let attempt = 0; ; attempt++) {
      const r = await k.request('POST', `/api/v1/namespaces/${ns}/pods`, { body: pod });
      if (r.status === 201) created++;
      else if (r.status === 409) existed++;
      else if (attempt < 5 && (r.status === 429 || r.status >= 500)) {
        await sleep(500 * (attempt + 1));
        continue;
      } else throw new Error(`pod ${ns}/p-${i}: ${r.status} ${r.text.slice(0, 300)}`);
      break;
    }
    if ((created + existed) % 5000 === 0)
      console.log(
        `${new Date().toISOString()} ${created + existed}/${total} posted (${Math.round((created + existed) / ((Date.now() - started) / 1000))}/s)`,
      );
  });
  console.log(
    `posted ${created} new pods (${existed} existed) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (!values['no-wait']) {
  // Counts pods of these namespaces that are not Running yet (metadata only, paginated).
  for (;;) {
    // resourceVersion=0: one answer from the watch cache. A paginated list at this size outlives
    // the test cluster's 20 s etcd compaction and fails with 410 on its continue token.
    const page = await k.json(
      'GET',
      '/api/v1/pods?resourceVersion=0&labelSelector=app%3Dbench&fieldSelector=status.phase!%3DRunning',
      {
        accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
      },
    );
    const notRunning = (page.items ?? []).length;
    console.log(`${new Date().toISOString()} ${notRunning} bench pods not Running yet`);
    if (notRunning === 0) break;
    await sleep(10_000);
  }
  console.log(`all Running ${((Date.now() - started) / 1000).toFixed(1)} s after the first POST`);
}
k.close();
