// A fleet on one replica (docs/scaling.md): the built app in server mode (dist/main.js, SQLite
// file), the bench cluster registered --clusters times through the API (each registration has its
// own cache and watches), then:
//   1. RSS with --base clusters (fleet answers warmed up) and with all of them: RSS per added cluster,
//      beside the heap used per added cluster in the main thread and in the worker threads (the
//      diagnostics worker), each read after forced full GCs in every isolate of the app through its
//      inspector (the app runs with --inspect=127.0.0.1:0; bench/lib/inspector-gc.mjs);
//   2. the time until every cache is synced, and the fleet overview and fleet diagnostics latency
//      (closed loop, --requests each, app CPU per request from /proc);
//   3. --restart: the same database in a new process, so every cache starts at once at boot
//      (staggered by monitor.coldSyncConcurrency): time to /readyz, peak RSS, latencies again;
//   4. --dead: a loopback port that never answers registered too; the fleet answers again.
//   BENCH_CLUSTER=dev npm run bench:fleet -- [--clusters 200] [--base 10] [--requests 200]
//     [--cold-sync 8] [--register-concurrency 8] [--malloc-arena-max 2] [--no-restart] [--no-dead]
//     [--port 8124] [--json out.json]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { collectEverywhere, connectInspector, inspectorUrl } from './lib/inspector-gc.mjs';
import { kubeconfigPath, percentile, repoRoot, sleep } from './lib/kube.mjs';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '200' },
    base: { type: 'string', default: '10' },
    requests: { type: 'string', default: '200' },
    'cold-sync': { type: 'string', default: '8' },
    'register-concurrency': { type: 'string', default: '8' },
    'malloc-arena-max': { type: 'string', default: '2' },
    'no-restart': { type: 'boolean', default: false },
    'no-dead': { type: 'boolean', default: false },
    port: { type: 'string', default: '8124' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(readFileSync(new URL(import.meta.url), 'utf8').split('\nimport')[0] + '\n');
  process.exit(0);
}
const N = Number(values.clusters);
const BASE = Math.max(1, Math.min(Number(values.base), N - 1));
const REQUESTS = Number(values.requests);
const log = (...a) => console.error(new Date().toISOString(), ...a);
const token = `cpt_${randomBytes(32).toString('base64url').slice(0, 43)}`;
const dir = mkdtempSync(join(tmpdir(), 'bench-fleet-'));
const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  DATABASE_URL: `sqlite:///${join(dir, 'cloudpilot.db')}`,
  CLOUDPILOT_ADMIN_TOKEN: token,
  CLOUDPILOT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  CLOUDPILOT_ALLOW_LOOPBACK_CLUSTERS: 'true',
  CLOUDPILOT_MONITOR_COLD_SYNC_CONCURRENCY: values['cold-sync'],
  LOG_LEVEL: 'warn',
  // As the image sets it (docker/Dockerfile); 0 leaves glibc's default (8 arenas per core).
  ...(values['malloc-arena-max'] !== '0' ? { MALLOC_ARENA_MAX: values['malloc-arena-max'] } : {}),
};
const base = `http://127.0.0.1:${values.port}`;
const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
const kubeconfig = readFileSync(kubeconfigPath(), 'utf8');
const r1 = (x) => Math.round(x * 10) / 10;

/**
 * The app process, its inspector session open (for the forced GCs of `settledMemory`);
 * `peakRssKiB` follows its RSS every 100 ms from /proc.
 */
async function startApp() {
  const child = spawn(
    process.execPath,
    ['--inspect=127.0.0.1:0', '--max-semi-space-size=16', 'dist/main.js', '--port', values.port],
    { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const app = { child, peakRssKiB: 0 };
  app.inspector = await connectInspector(await inspectorUrl(child.stderr));
  app.sampler = setInterval(() => {
    app.peakRssKiB = Math.max(app.peakRssKiB, rssKiB(app));
  }, 100);
  const t0 = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}`);
    const status = await fetch(`${base}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (performance.now() - t0 > 900_000) throw new Error('app not ready within 900 s');
    await sleep(100);
  }
  app.readyMs = Math.round(performance.now() - t0);
  return app;
}

async function stopApp(app) {
  clearInterval(app.sampler);
  app.inspector.close();
  if (app.child.exitCode !== null) return;
  const exited = new Promise((resolve) => app.child.once('exit', resolve));
  app.child.kill('SIGTERM');
  await exited;
}

function rssKiB(app) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${app.child.pid}/status`, 'utf8'))[1]);
  } catch {
    return 0;
  }
}

/** User + system CPU of the app so far (ms; clock ticks of 10 ms). */
function cpuMs(app) {
  const fields = readFileSync(`/proc/${app.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function api(method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (res.status >= 300)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/**
 * Registers clusters [from, to), --register-concurrency at a time (registrations on SQLite run
 * their transactions one after another: src/database/serial-transactions.ts). Without the
 * connection test (`skipTest`): on a loaded machine its probes outlast the request deadline, and
 * the cluster is known to answer.
 */
async function register(from, to) {
  let next = from;
  const worker = async () => {
    for (let i = next++; i < to; i = next++)
      await api('POST', '/api/v1/clusters?skipTest=true', { name: `fleet-${i}`, kubeconfig });
  };
  await Promise.all(Array.from({ length: Number(values['register-concurrency']) }, worker));
}

/** Waits until the fleet overview has `count` entries with data in state synced. */
async function allSynced(count, deadlineMs = 900_000) {
  const t0 = performance.now();
  for (;;) {
    const fleet = await api('GET', '/api/v1/overview');
    const synced = fleet.items.filter((e) => e.data?.state === 'synced').length;
    if (synced >= count) return Math.round(performance.now() - t0);
    if (performance.now() - t0 > deadlineMs) throw new Error(`${synced}/${count} synced`);
    await sleep(500);
  }
}

/** `requests` GETs one after the other: latency percentiles (ms) and app CPU per request. */
async function latency(app, path, requests = REQUESTS) {
  for (let i = 0; i < Math.min(20, requests); i++) await api('GET', path);
  const times = [];
  const cpu0 = cpuMs(app);
  let entries = 0;
  let errors = 0;
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    const data = await api('GET', path);
    times.push(performance.now() - t0);
    entries = data.items.length;
    errors = data.items.filter((e) => e.error).length;
  }
  const sorted = times.sort((a, b) => a - b);
  const cpuPerRequestMs = r1((cpuMs(app) - cpu0) / requests);
  const [p50, p99, max] = [percentile(sorted, 50), percentile(sorted, 99), sorted.at(-1)];
  return { entries, errors, p50: r1(p50), p99: r1(p99), max: r1(max), cpuPerRequestMs };
}

async function fleetLatencies(app) {
  return {
    overview: await latency(app, '/api/v1/overview'),
    diagnostics: await latency(app, '/api/v1/diagnostics'),
  };
}

/**
 * Memory with nothing left to collect: three rounds of forced full GCs in every isolate of the app
 * (main thread and workers), each followed by RSS from /proc half a second later (V8 hands freed
 * pages back on a background thread); the lowest RSS and the last round's heaps, KiB. Also the RSS
 * just before, as the app happened to be: the old, noisy reading.
 */
async function settledMemory(app) {
  const rssBeforeGcKiB = rssKiB(app);
  let rss = Infinity;
  let heaps;
  for (let i = 0; i < 3; i++) {
    heaps = await collectEverywhere(app.inspector);
    await sleep(500);
    rss = Math.min(rss, rssKiB(app));
  }
  return { rssBeforeGcKiB, rssKiB: rss, ...heaps };
}

/** A loopback port that accepts connections and never answers: a cluster that went away. */
function hangingServer() {
  const sockets = [];
  const server = createServer((s) => sockets.push(s));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: server.address().port,
        close: () => {
          for (const s of sockets) s.destroy();
          server.close();
        },
      }),
    ),
  );
}

const result = {
  clusters: N,
  base: BASE,
  coldSyncConcurrency: Number(values['cold-sync']),
  registerConcurrency: Number(values['register-concurrency']),
  mallocArenaMax: Number(values['malloc-arena-max']),
};
let app = await startApp();
try {
  log(`app ready in ${app.readyMs} ms; registering ${BASE} clusters`);
  await register(0, BASE);
  await allSynced(BASE);
  await fleetLatencies(app);
  const atBase = await settledMemory(app);
  log(`registering ${N - BASE} more`);
  const t0 = performance.now();
  await register(BASE, N);
  result.registerMs = Math.round(performance.now() - t0);
  result.syncedAfterRegisterMs = await allSynced(N);
  result.latency = await fleetLatencies(app);
  const atAll = await settledMemory(app);
  result.settledKiB = { base: atBase, all: atAll };
  const perAdded = (key) => Math.round((atAll[key] - atBase[key]) / (N - BASE));
  result.perAddedClusterKiB = {
    rss: perAdded('rssKiB'),
    rssBeforeGc: perAdded('rssBeforeGcKiB'),
    mainHeap: perAdded('mainHeapKiB'),
    workerHeap: perAdded('workerHeapKiB'),
  };
  log(JSON.stringify(result));
  if (!values['no-restart']) {
    await stopApp(app);
    app = await startApp();
    result.restart = {
      readyMs: app.readyMs,
      syncedMs: app.readyMs + (await allSynced(N)),
      peakRssMiB: r1(app.peakRssKiB / 1024),
      latency: await fleetLatencies(app),
      settledKiB: await settledMemory(app),
    };
    log(JSON.stringify(result.restart));
  }
  if (!values['no-dead']) {
    const hanging = await hangingServer();
    const dead = kubeconfig.replace(
      /https:\/\/127\.0\.0\.1:\d+/g,
      `https://127.0.0.1:${hanging.port}`,
    );
    await api('POST', '/api/v1/clusters?skipTest=true', { name: 'fleet-dead', kubeconfig: dead });
    // Its first sync fails when the request deadline passes; meanwhile answers wait for it.
    const t1 = performance.now();
    await api('GET', '/api/v1/overview');
    result.withDead = {
      firstAnswerMs: Math.round(performance.now() - t1),
      ...(await fleetLatencies(app)),
    };
    hanging.close();
    log(JSON.stringify(result.withDead));
  }
} finally {
  await stopApp(app);
  rmSync(dir, { recursive: true, force: true });
}
result.load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
process.exit(0);
