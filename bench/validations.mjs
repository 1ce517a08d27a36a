// Cost of GET …/istio/validations: Kubernetes API requests sent per validations GET (from the API
// server's own apiserver_request_total, minus what the cluster's other clients sent in an idle
// window of the same length) and the GET's latency. Starts the app from --dist (default ./dist;
// point it at an older build to measure "before") in instant mode on the bench cluster, applies a
// small mesh, then sends --requests sequential GETs.
//   BENCH_CLUSTER=bench-mesh npm run bench:validations -- [--requests 50] [--dist DIR] [--json FILE]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { kubeHttp, kubeconfigPath, percentile, repoRoot, sleep } from './lib/kube.mjs';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '50' },
    port: { type: 'string', default: '8124' },
    dist: { type: 'string', default: join(repoRoot, 'dist') },
    json: { type: 'string' },
  },
});
const log = (...a) => console.error(new Date().toISOString(), ...a);
const kube = kubeHttp();
const token = `cpt_${randomBytes(32).toString('base64url').slice(0, 43)}`;
const base = `http://127.0.0.1:${values.port}`;

/** Sum of apiserver_request_total for the verbs a snapshot read would use (not WATCH). */
async function apiRequests() {
  const res = await kube.request('GET', '/metrics', { accept: 'text/plain' });
  let total = 0;
  for (const line of res.text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    if (!/verb="(LIST|GET)"/.test(line)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

async function applyMesh(ns) {
  await kube.request('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
  });
  const istio = (kind, plural, name, spec) =>
    kube.request('POST', `/apis/networking.istio.io/v1/namespaces/${ns}/${plural}`, {
      body: { apiVersion: 'networking.istio.io/v1', kind, metadata: { name }, spec },
    });
  await kube.request('POST', `/api/v1/namespaces/${ns}/services`, {
    body: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] },
    },
  });
  await istio('Gateway', 'gateways', 'public', {
    selector: { istio: 'ingressgateway' },
    servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
  });
  await istio('VirtualService', 'virtualservices', 'web', {
    hosts: ['web.example.com'],
    gateways: ['public'],
    http: [{ route: [{ destination: { host: 'web' } }] }],
  });
}

const app = spawn(
  process.execPath,
  [join(values.dist, 'main.js'), '--mode', 'instant', '--port', values.port],
  {
    cwd: repoRoot,
    env: {
      ...process.env,
      KUBECONFIG: kubeconfigPath(),
      CLOUDPILOT_ADMIN_TOKEN: token,
      DATABASE_URL: `sqlite:///${join(repoRoot, '.cloudpilot', `bench-validations-${process.pid}.db`)}`,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
try {
  const started = performance.now();
  while (
    !(await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (app.exitCode !== null) throw new Error(`app exited with ${app.exitCode}`);
    if (performance.now() - started > 600_000) throw new Error('app not ready within 600 s');
    await sleep(200);
  }
  log(`app (${values.dist}) ready in ${Math.round(performance.now() - started)} ms`);
  await applyMesh(`mesh-bench-${randomBytes(3).toString('hex')}`);
  const get = async () => {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/clusters/local/istio/validations`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (res.status !== 200)
      throw new Error(`validations answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    return performance.now() - t0;
  };
  for (let i = 0; i < 3; i++) await get(); // warm: discovery, the cache's Istio kinds, JIT
  const n = Number(values.requests);
  const before = await apiRequests();
  const t0 = performance.now();
  const latencies = [];
  for (let i = 0; i < n; i++) latencies.push(await get());
  const wall = performance.now() - t0;
  const after = await apiRequests();
  // The cluster's own clients (leases, controllers) over a quiet window as long as the run.
  const idle0 = await apiRequests();
  await sleep(wall);
  const idle1 = await apiRequests();
  // Both windows include exactly one /metrics read of their own, so they cancel out.
  const background = idle1 - idle0;
  const perGet = Math.max(0, (after - before - background) / n);
  latencies.sort((a, b) => a - b);
  const result = {
    when: new Date().toISOString(),
    dist: values.dist,
    requests: n,
    apiRequestsPerGet: Math.round(perGet * 10) / 10,
    rawDelta: after - before,
    backgroundDelta: idle1 - idle0,
    latencyMs: {
      p50: Math.round(percentile(latencies, 50) * 10) / 10,
      p99: Math.round(percentile(latencies, 99) * 10) / 10,
      max: Math.round(Math.max(...latencies) * 10) / 10,
    },
  };
  console.log(JSON.stringify(result, null, 2));
  if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
} finally {
  app.kill('SIGTERM');
}
