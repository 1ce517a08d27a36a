// The telemetry simulator: plays the kubelets' cAdvisor and the pods' Envoy sidecars for the pods
// on KWOK nodes, driven by the sim.cloudpilot.dev/ annotations on their workloads (docs/testing.md).
// Started by cluster:up (scripts/cluster/telemetry.mjs) next to Prometheus, which scrapes it.
//   node main.mjs --kubeconfig FILE [--port-file FILE] [--listen 127.0.0.1:0] [--state-dir DIR]
// Serves GET /metrics (Prometheus text format), GET /healthz (200 once every watch has listed),
// GET /debug/model (JSON: series count and annotation problems).
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { Informer, readKubeconfig } from './kube-watch.mjs';
import { desiredSeries } from './model.mjs';
import { SeriesStore } from './series.mjs';
import { slim } from './slim.mjs';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    'port-file': { type: 'string' },
    listen: { type: 'string', default: '127.0.0.1:0' },
    // Only names this process in `ps`, so the harness can tell its own pids from reused ones.
    'state-dir': { type: 'string' },
  },
});
if (!values.kubeconfig) {
  console.error('usage: main.mjs --kubeconfig FILE [--port-file FILE] [--listen HOST:PORT]');
  process.exit(2);
}

const log = (msg) => console.log(`${new Date().toISOString()} ${msg}`);
const conn = readKubeconfig(values.kubeconfig);
const store = new SeriesStore();
let dirty = true;
let problems = [];
const onChange = () => (dirty = true);

const COLLECTIONS = {
  nodes: ['/api/v1/nodes', slim.node],
  pods: ['/api/v1/pods', slim.pod],
  replicasets: ['/apis/apps/v1/replicasets', slim.owned],
  deployments: ['/apis/apps/v1/deployments', slim.owned],
  statefulsets: ['/apis/apps/v1/statefulsets', slim.owned],
  daemonsets: ['/apis/apps/v1/daemonsets', slim.owned],
  jobs: ['/apis/batch/v1/jobs', slim.owned],
  services: ['/api/v1/services', slim.service],
  pvcs: ['/api/v1/persistentvolumeclaims', slim.pvc],
};
const informers = Object.fromEntries(
  Object.entries(COLLECTIONS).map(([name, [path, slimmer]]) => [
    name,
    new Informer(conn, path, { slim: slimmer, onChange, log }),
  ]),
);
for (const informer of Object.values(informers)) informer.run();

/** When each (key → value) pair took its value, for growth "from the moment set". */
const moments = new Map();
function since(key, value, now) {
  const m = moments.get(key);
  if (m && m.value === value) {
    m.used = true;
    return m.t;
  }
  moments.set(key, { value, t: now, used: true });
  return now;
}

/** Rebuilds the desired series when a watch reported a change since the last scrape. */
function refresh(now) {
  if (!dirty) return;
  dirty = false;
  const view = Object.fromEntries(Object.entries(informers).map(([k, i]) => [k, i.store]));
  for (const m of moments.values()) m.used = false;
  const model = desiredSeries(view, { now, since: (k, v) => since(k, v, now) });
  for (const [k, m] of moments) if (!m.used) moments.delete(k);
  store.update(model.series, model.alive, now);
  const fresh = model.problems.filter((p) => !problems.includes(p));
  for (const p of fresh) log(`annotation problem: ${p}`);
  problems = model.problems;
}

const synced = () => Object.values(informers).every((i) => i.synced);

const server = http.createServer((req, res) => {
  try {
    serve(req, res);
  } catch (err) {
    // One bad model update must not take the exporter down: answer 500 and log it.
    log(`${req.url}: ${err.stack}`);
    res.writeHead(500);
    res.end(String(err.message));
  }
});

function serve(req, res) {
  const now = Date.now() / 1000;
  if (req.url === '/metrics') {
    refresh(now);
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    return res.end(store.render(now));
  }
  if (req.url === '/healthz') {
    res.writeHead(synced() ? 200 : 503);
    return res.end(synced() ? 'ok' : 'syncing');
  }
  if (req.url === '/debug/model') {
    refresh(now);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ series: store.size, problems }));
  }
  res.writeHead(404);
  res.end();
}

const [host, port] = values.listen.split(/:(?=\d+$)/);
server.listen(Number(port), host, () => {
  const actual = server.address().port;
  if (values['port-file']) fs.writeFileSync(values['port-file'], String(actual));
  log(`telemetry simulator serving http://${host}:${actual}/metrics`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
