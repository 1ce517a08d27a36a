// The overview read with and without the change timeline recording (issue #30, docs/performance.md):
// on the bench cluster, while a driver makes --changes-per-second real changes through the API
// server (ConfigMap data edits: each one a change the recorder diffs, hashes and stores), runs
// bench/http-load.mjs (the real app, instant mode) alternately with CLOUDPILOT_CHANGES_ENABLED
// true and false, --rounds times, and prints each run and the medians side by side.
//   npm run bench:changes-overview -- [--rate 500] [--seconds 30] [--warmup 5]
//     [--changes-per-second 50] [--rounds 2] [--port 8124] [--json out.json]
// The cluster is BENCH_CLUSTER (default `bench`), filled beforehand (e.g. `npm run bench:fill`).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { kubeHttp, pool, repoRoot } from './lib/kube.mjs';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    'changes-per-second': { type: 'string', default: '50' },
    rounds: { type: 'string', default: '2' },
    port: { type: 'string', default: '8124' },
    json: { type: 'string' },
  },
});
const NAMESPACE = 'bench-changes';
const CONFIGMAPS = 100;
const log = (...a) => console.error(new Date().toISOString(), ...a);
const kube = kubeHttp();

async function prepare() {
  const ns = await kube.request('GET', `/api/v1/namespaces/${NAMESPACE}`);
  if (ns.status === 404)
    await kube.json('POST', '/api/v1/namespaces', { body: { metadata: { name: NAMESPACE } } });
  await pool([...Array(CONFIGMAPS).keys()], 8, async (i) => {
    const res = await kube.request('POST', `/api/v1/namespaces/${NAMESPACE}/configmaps`, {
      body: { metadata: { name: `settings-${i}` }, data: { LEVEL: 'info', ROUND: '0' } },
    });
    if (res.status !== 201 && res.status !== 409) throw new Error(`configmap: HTTP ${res.status}`);
  });
}

/** Edits one ConfigMap every 1/rate s until stopped; resolves to the edits acknowledged. */
function drive(rate) {
  let stop = false;
  let acknowledged = 0;
  let failed = 0;
  const done = (async () => {
    const t0 = performance.now();
    const inflight = new Set();
    for (let sent = 0; !stop;) {
      const due = Math.floor(((performance.now() - t0) * rate) / 1000);
      for (; sent < due; sent++) {
        const name = `settings-${sent % CONFIGMAPS}`;
        const p = kube
          .request('PATCH', `/api/v1/namespaces/${NAMESPACE}/configmaps/${name}`, {
            body: { data: { ROUND: String(sent) } },
            contentType: 'application/merge-patch+json',
          })
          .then(
            (r) => (r.status === 200 ? acknowledged++ : failed++),
            () => failed++,
          )
          .finally(() => inflight.delete(p));
        inflight.add(p);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(inflight);
    return { acknowledged, failed, seconds: (performance.now() - t0) / 1000 };
  })();
  return { stop: () => ((stop = true), done) };
}

async function run(recording, dir, round) {
  const out = join(dir, `${recording ? 'on' : 'off'}-${round}.json`);
  const driver = drive(Number(values['changes-per-second']));
  const child = spawn(
    process.execPath,
    [
      'bench/http-load.mjs',
      ...['--rate', values.rate, '--seconds', values.seconds, '--warmup', values.warmup],
      ...['--port', values.port, '--json', out],
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, CLOUDPILOT_CHANGES_ENABLED: String(recording) },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const code = await new Promise((resolve) => child.once('exit', resolve));
  const changes = await driver.stop();
  if (code !== 0) throw new Error(`http-load exited with ${code}`);
  const r = JSON.parse(readFileSync(out, 'utf8'));
  const row = {
    recording,
    round,
    p50: r.p50,
    p99: r.p99,
    p999: r.p999,
    max: r.max,
    appCpuMsPerRequest: r.cpuMsPerRequest ?? r.appCpuMsPerRequest,
    changesPerSecond: Math.round(changes.acknowledged / changes.seconds),
    changesFailed: changes.failed,
    loadavg: r.loadavg,
  };
  log(JSON.stringify(row));
  return row;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'changes-overview-'));
try {
  await prepare();
  const rows = [];
  for (let round = 1; round <= Number(values.rounds); round++)
    for (const recording of [true, false]) rows.push(await run(recording, dir, round));
  const summary = {};
  for (const recording of [true, false]) {
    const of = rows.filter((r) => r.recording === recording);
    summary[recording ? 'recording' : 'notRecording'] = Object.fromEntries(
      ['p50', 'p99', 'p999', 'max', 'appCpuMsPerRequest', 'changesPerSecond'].map((k) => [
        k,
        median(of.map((r) => r[k])),
      ]),
    );
  }
  const result = { when: new Date().toISOString(), node: process.version, values, rows, summary };
  if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(summary));
} finally {
  rmSync(dir, { recursive: true, force: true });
  kube.close();
}
