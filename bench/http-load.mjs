// Fixed-rate (open-loop) HTTP loader for GET …/overview. Each request is timed from the moment the
// schedule says it should start, so a stalled server cannot hide its queueing (no coordinated
// omission). Without --url it starts the real app (dist/main.js, instant mode, admin kubeconfig of
// the bench cluster) on --port, waits for /readyz, measures, and stops the process it started.
//   npm run bench:http -- [--rate 500] [--seconds 30] [--warmup 5] [--url http://127.0.0.1:8123/...]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { kubeconfigPath, percentile, repoRoot, sleep } from './lib/kube.mjs';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    port: { type: 'string', default: '8123' },
    url: { type: 'string' },
    json: { type: 'string' },
    // With --url: the admin token the app at that URL was started with.
    token: { type: 'string' },
    // Node flags of the app this script starts; the default is what the image and `npm start` use.
    // E.g. --node-args="--max-semi-space-size=16 --cpu-prof --cpu-prof-dir=/tmp/p".
    'node-args': { type: 'string', default: '--max-semi-space-size=16' },
  },
});
const log = (...a) => console.error(new Date().toISOString(), ...a);
let app;
let url = values.url;
const token = values.token ?? `cpt_${randomBytes(32).toString('base64url').slice(0, 43)}`;
const headers = { Authorization: `Bearer ${token}` };
if (!url) {
  const port = values.port;
  const nodeArgs = values['node-args'].split(' ').filter(Boolean);
  app = spawn(
    process.execPath,
    [...nodeArgs, 'dist/main.js', '--mode', 'instant', '--port', port],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        KUBECONFIG: kubeconfigPath(),
        CLOUDPILOT_ADMIN_TOKEN: token,
        // The app's own default unless LOG_LEVEL says otherwise: at info every request writes its
        // access-log line, as a deployed app does (LOG_LEVEL=warn measures without it).
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  url = `http://127.0.0.1:${port}/api/v1/clusters/local/overview`;
  const started = performance.now();
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (app.exitCode !== null) throw new Error(`app exited with ${app.exitCode}`);
    if (performance.now() - started > 600_000) throw new Error('app not ready within 600 s');
    await sleep(100);
  }
  log(`app ready in ${Math.round(performance.now() - started)} ms (pid ${app.pid})`);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const target = new URL(url);
function get() {
  return new Promise((resolve) => {
    const req = http.get(
      { host: target.hostname, port: target.port, path: target.pathname, headers, agent },
      (res) => {
        let bytes = 0;
        res.on('data', (c) => (bytes += c.length));
        res.on('end', () => resolve({ status: res.statusCode, bytes }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, error: error.message }));
  });
}

async function phase(seconds, record) {
  const rate = Number(values.rate);
  const total = Math.round(rate * seconds);
  const latencies = [];
  const statuses = {};
  let bytes = 0;
  const inflight = [];
  const t0 = performance.now();
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const intended = t0 + (sent * 1000) / rate;
      inflight.push(
        get().then((r) => {
          latencies.push(performance.now() - intended);
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          bytes = r.bytes ?? bytes;
        }),
      );
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(inflight);
  if (!record) return undefined;
  const sorted = latencies.sort((a, b) => a - b);
  const r = (x) => Math.round(x * 100) / 100;
  return {
    requests: total,
    rate,
    seconds,
    achievedRate: Math.round(total / ((performance.now() - t0) / 1000)),
    statuses,
    responseBytes: bytes,
    p50: r(percentile(sorted, 50)),
    p90: r(percentile(sorted, 90)),
    p99: r(percentile(sorted, 99)),
    p999: r(percentile(sorted, 99.9)),
    max: r(sorted[sorted.length - 1]),
  };
}

/* global setImmediate */
/** User + system CPU of the app process so far (ms), from /proc (clock ticks of 10 ms). */
function appCpuMs() {
  if (!app) return 0;
  const fields = readFileSync(`/proc/${app.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

try {
  const first = await fetch(url, { headers }).then((r) => r.json());
  log('overview', JSON.stringify(first.data?.pods ?? first).slice(0, 300));
  await phase(Number(values.warmup), false);
  const cpu0 = appCpuMs();
  const result = await phase(Number(values.seconds), true);
  if (app)
    result.appCpuMsPerRequest = Math.round(((appCpuMs() - cpu0) / result.requests) * 1000) / 1000;
  result.loadavg = (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100);
  if (app)
    result.appRssMiB = Math.round(
      Number(
        /VmRSS:\s+(\d+)/.exec(
          await import('node:fs').then((fs) => fs.readFileSync(`/proc/${app.pid}/status`, 'utf8')),
        )[1],
      ) / 1024,
    );
  if (values.json)
    await import('node:fs').then((fs) =>
      fs.writeFileSync(values.json, JSON.stringify(result, null, 2) + '\n'),
    );
  console.log(JSON.stringify(result));
} finally {
  agent.destroy();
  if (app) {
    app.kill('SIGTERM');
    await new Promise((resolve) => app.once('exit', resolve));
  }
}
