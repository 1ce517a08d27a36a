// Fixed-rate (open-loop) HTTP loader for GET …/overview. Each request is timed from the moment the
// schedule says it should start, so a stalled server cannot hide its queueing (no coordinated
// omission). Without --url it starts the real app (dist/main.js of --app-dir, instant mode, admin
// kubeconfig of the bench cluster) on --port, waits for /readyz, measures, and stops it.
//   npm run bench:http -- [--rate 500] [--seconds 30] [--warmup 5] [--floor] [--app-dir DIR]
//   npm run bench:soak -- [--rate 200] [--seconds 600] [--warmup 60]     (the soak: see --help)
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startApp, startFloor, stopChild, cpuMsOf, rssMiBOf } from './lib/http-targets.mjs';
import { interleave } from './lib/interleaved-ab.mjs';
import { loopSummary } from './lib/loop-summary.mjs';
import { percentile, repoRoot } from './lib/kube.mjs';

const HELP = `bench/http-load.mjs: open-loop GET load on the app's overview, app CPU per request from /proc.
  --rate N           requests per second (500)          --seconds S    measured seconds (30)
  --warmup S         unmeasured seconds first (5)       --port P       the app's port (8123)
  --app-dir DIR      the checkout whose dist/main.js is started (this one): A/B builds
  --floor            also measure a bare node:http server answering the same JSON (port+1), and
                     print app/floor ratios of CPU per request and latency
  --token-kind K     admin (the env admin token) | minted (a viewer token from the token API: the
                     database-backed path a real client takes)
  --grants JSON      with --token-kind minted: the token's grants, e.g. '[{"role":"viewer",
                     "clusters":["local"]}]' (scope checks then run on every request; without
                     grants a token may see everything and skips them)
  --idle S           first measure the app's CPU for S seconds without requests (its watches and
                     periodic jobs), and give CPU per request net of it too (0: skip)
  --slow-ms MS       count answers slower than this (100)
  --rss-every S      sample the app's RSS every S seconds while measuring (0: only at the end)
  --loop-probe FILE  preload bench/lib/loop-probe.mjs into the app: event-loop delay histogram,
                     GC pauses, stalls (and, with --cpu-prof in --node-args, what ran in them)
  --soak             the soak's defaults: --rate 200 --seconds 600 --warmup 60 --rss-every 10
                     --loop-probe /tmp/cloudpilot-soak-loop.json (explicit flags win)
  --node-args "…"    the app's Node flags (--max-semi-space-size=16, what the image uses)
  --url URL          measure an app already running there (with --token); no CPU figures
  --versus DIR       interleaved A/B: this checkout's app and DIR's side by side (ports P, P+2),
                     the load alternating between them --slices times for --slice-seconds each
                     (10, 5): both see the same minutes of a loaded machine, and each one's CPU
                     while the other is loaded is its idle CPU, subtracted (no --floor, --idle)
  --json FILE        also write the result there`;

const { values: given } = parseArgs({
  options: {
    rate: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    port: { type: 'string', default: '8123' },
    url: { type: 'string' },
    json: { type: 'string' },
    token: { type: 'string' },
    'node-args': { type: 'string', default: '--max-semi-space-size=16' },
    'app-dir': { type: 'string', default: repoRoot },
    floor: { type: 'boolean', default: false },
    'token-kind': { type: 'string', default: 'admin' },
    grants: { type: 'string' },
    'slow-ms': { type: 'string', default: '100' },
    idle: { type: 'string', default: '0' },
    'rss-every': { type: 'string' },
    'loop-probe': { type: 'string' },
    soak: { type: 'boolean', default: false },
    versus: { type: 'string' },
    slices: { type: 'string', default: '10' },
    'slice-seconds': { type: 'string', default: '5' },
    help: { type: 'boolean', default: false },
  },
});
if (given.help) {
  console.log(HELP);
  process.exit(0);
}
const defaults = given.soak
  ? {
      rate: '200',
      seconds: '600',
      warmup: '60',
      'rss-every': '10',
      'loop-probe': '/tmp/cloudpilot-soak-loop.json',
    }
  : { rate: '500', seconds: '30', warmup: '5', 'rss-every': '0' };
const values = {
  ...defaults,
  ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
};
const log = (...a) => console.error(new Date().toISOString(), ...a);
const round = (x) => Math.round(x * 100) / 100;

/** One measured run of `seconds` at `rate` against `target`; RSS sampled if asked. */
async function phase(target, seconds, record) {
  const rate = Number(values.rate);
  const total = Math.round(rate * seconds);
  const latencies = [];
  const statuses = {};
  const rss = [];
  let bytes = 0;
  const inflight = [];
  const every = Number(values['rss-every']) * 1000;
  const sampler =
    record && every && target.pid
      ? setInterval(() => rss.push(rssMiBOf(target.pid)), every)
      : undefined;
  const t0 = performance.now();
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const intended = t0 + (sent * 1000) / rate;
      inflight.push(
        target.get().then((r) => {
          latencies.push(performance.now() - intended);
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          bytes = r.bytes ?? bytes;
        }),
      );
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(inflight);
  clearInterval(sampler);
  if (!record) return undefined;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requests: total,
    answered: sorted.length,
    rate,
    seconds,
    achievedRate: Math.round(total / ((performance.now() - t0) / 1000)),
    statuses,
    responseBytes: bytes,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    p999: round(percentile(sorted, 99.9)),
    max: round(sorted[sorted.length - 1]),
    overSlowMs: sorted.filter((x) => x > Number(values['slow-ms'])).length,
    ...(rss.length ? { rssSeriesMiB: rss } : {}),
  };
}

/** Warm-up, then the measured phase with the target's CPU per request from /proc. */
async function measure(target) {
  await phase(target, Number(values.warmup), false);
  const idleMsPerSecond = target.pid ? await idleCpu(target.pid, Number(values.idle)) : undefined;
  const rss0 = target.pid ? rssMiBOf(target.pid) : undefined;
  const cpu0 = target.pid ? cpuMsOf(target.pid) : 0;
  const result = await phase(target, Number(values.seconds), true);
  if (target.pid) {
    result.cpuMsPerRequest =
      Math.round(((cpuMsOf(target.pid) - cpu0) / result.requests) * 1000) / 1000;
    result.rssAfterWarmupMiB = rss0;
    result.rssMiB = rssMiBOf(target.pid);
    result.rssDriftPercent = round(((result.rssMiB - rss0) / rss0) * 100);
    if (idleMsPerSecond !== undefined) {
      result.idleCpuMsPerSecond = idleMsPerSecond;
      const busy = result.cpuMsPerRequest - (idleMsPerSecond * result.seconds) / result.requests;
      result.netCpuMsPerRequest = Math.round(busy * 1000) / 1000;
    }
  }
  result.loadavg = loadavg().map(round);
  return result;
}

/** The target's own CPU per second while nothing asks it anything, after its warm-up. */
async function idleCpu(pid, seconds) {
  if (!seconds) return undefined;
  const cpu0 = cpuMsOf(pid);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return round((cpuMsOf(pid) - cpu0) / seconds);
}

/* global setImmediate */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const children = [];
try {
  const adminToken = values.token ?? `cpt_${randomBytes(32).toString('base64url').slice(0, 43)}`;
  const probeOut = values['loop-probe'];
  const app = values.url
    ? { url: values.url, pid: undefined }
    : await startApp({
        appDir: values['app-dir'],
        port: values.port,
        nodeArgs: values['node-args'],
        token: adminToken,
        loopProbe: probeOut,
        log,
      });
  if (app.child) children.push(app.child);
  const result = values.versus
    ? await versus(app, adminToken)
    : await single(app, adminToken, probeOut);
  if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result));
} finally {
  agent.destroy();
  for (const child of children) await stopChild(child);
}

/** One app measured alone (then the floor, with --floor). */
async function single(app, adminToken, probeOut) {
  const token =
    values['token-kind'] === 'minted' ? await mintViewer(app.url, adminToken) : adminToken;
  const appTarget = target(app.url, token, app.pid);
  const first = await appTarget.json();
  log('overview', JSON.stringify(first.data?.pods ?? first).slice(0, 300));
  const appResult = await measure(appTarget);
  if (app.child) {
    await stopChild(app.child);
    if (probeOut && existsSync(probeOut))
      appResult.loop = loopSummary(probeOut, values['node-args']);
  }
  let result = appResult;
  if (values.floor) {
    const bodyFile = '/tmp/cloudpilot-floor-body.json';
    writeFileSync(bodyFile, JSON.stringify(first));
    const floor = await startFloor({ port: String(Number(values.port) + 1), bodyFile, token, log });
    children.push(floor.child);
    const floorResult = await measure(target(floor.url, token, floor.pid));
    await stopChild(floor.child);
    const ratio = (k) => round(appResult[k] / floorResult[k]);
    result = {
      app: appResult,
      floor: floorResult,
      ratio: { cpuMsPerRequest: ratio('cpuMsPerRequest'), p50: ratio('p50'), p99: ratio('p99') },
    };
  }
  return result;
}

/** --versus: this checkout's app (already started) and DIR's, interleaved. */
async function versus(app, adminToken) {
  const other = await startApp({
    appDir: values.versus,
    port: String(Number(values.port) + 2),
    nodeArgs: values['node-args'],
    token: adminToken,
    log,
  });
  children.push(other.child);
  const tokenOf = (url) =>
    values['token-kind'] === 'minted' ? mintViewer(url, adminToken) : adminToken;
  const sides = [
    target(app.url, await tokenOf(app.url), app.pid),
    target(other.url, await tokenOf(other.url), other.pid),
  ];
  for (const side of sides) await phase(side, Number(values.warmup), false);
  const [mine, theirs] = await interleave({
    sides,
    slices: Number(values.slices),
    seconds: Number(values['slice-seconds']),
    phase,
    cpuMsOf,
  });
  return { this: mine, versus: theirs, versusDir: values.versus, loadavg: loadavg().map(round) };
}

function target(url, token, pid) {
  const u = new URL(url);
  const headers = { Authorization: `Bearer ${token}` };
  return {
    pid,
    json: () => fetch(url, { headers }).then((r) => r.json()),
    get: () =>
      new Promise((resolve) => {
        const req = http.get(
          { host: u.hostname, port: u.port, path: u.pathname, headers, agent },
          (res) => {
            let bytes = 0;
            res.on('data', (c) => (bytes += c.length));
            res.on('end', () => resolve({ status: res.statusCode, bytes }));
          },
        );
        req.on('error', (error) => resolve({ status: 0, error: error.message }));
      }),
  };
}

/** A viewer token from the app's token API: each request then costs the token lookup a real client's does. */
async function mintViewer(url, adminToken) {
  const res = await fetch(new URL('/api/v1/auth/tokens', url), {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: `bench-${Date.now()}`,
      role: 'viewer',
      ...(values.grants ? { grants: JSON.parse(values.grants) } : {}),
    }),
  });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`minting a token: ${res.status} ${JSON.stringify(body)}`);
  return body.data.token;
}
