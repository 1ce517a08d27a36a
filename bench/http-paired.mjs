// Closed-loop paired A/B of the overview's app CPU per request, for a machine others load: both
// builds run side by side, and in each trial each one answers the same number of requests (the
// order flips every trial). Load only ever adds CPU to a trial, so each build's lowest trials are
// the least disturbed view of its own cost: the figure is the minimum and lower quartile of the
// trials, beside their median. Same cluster, token and instant mode as bench/http-load.mjs.
//   node bench/http-paired.mjs --versus DIR [--trials 20] [--requests 2000] [--concurrency 4]
//     [--warmup 3000] [--port 8123] [--node-args "…"] [--versus-first] [--json FILE]
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { percentile, repoRoot } from './lib/kube.mjs';
import { cpuMsOf, startApp, stopChild } from './lib/http-targets.mjs';

const { values } = parseArgs({
  options: {
    versus: { type: 'string' },
    trials: { type: 'string', default: '20' },
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '3000' },
    port: { type: 'string', default: '8123' },
    'node-args': { type: 'string', default: '--max-semi-space-size=16' },
    'versus-first': { type: 'boolean', default: false },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help || !values.versus) {
  console.log(`bench/http-paired.mjs: closed-loop paired A/B of app CPU per overview request.
  --versus DIR       the other checkout (its dist/main.js), beside this one (required)
  --trials N         trials; in each, both builds answer --requests (20)
  --requests N       requests per build per trial (2000; /proc counts CPU in 10 ms ticks)
  --concurrency C    requests in flight (4)       --warmup N   requests to each first (3000)
  --port P           this build's port; the other's is P+2 (8123)
  --node-args "…"    the apps' Node flags (--max-semi-space-size=16)
  --versus-first     start DIR's build first, on port P (on a loaded machine the first started
                     comes out dearer: run both ways and compare the two runs together)
  --json FILE        also write the result there`);
  process.exit(values.help ? 0 : 2);
}

const log = (m) => console.error(`${new Date().toISOString()} ${m}`);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(values.concurrency) });
const token = `cpt_${randomBytes(32).toString('base64url').slice(0, 43)}`;
const round = (v) => Math.round(v * 1000) / 1000;
const headers = { Authorization: `Bearer ${token}` };

/** `count` GETs of the overview, `concurrency` at a time; throws on any answer but 200. */
async function load(url, count) {
  const u = new URL(url);
  let next = 0;
  const one = () =>
    new Promise((resolve, reject) => {
      const req = http.get(
        { host: u.hostname, port: u.port, path: u.pathname, agent, headers },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
    });
  const worker = async () => {
    while (next++ < count) await one();
  };
  await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
}

function summary(perRequest) {
  const sorted = [...perRequest].sort((a, b) => a - b);
  return {
    trials: sorted.length,
    minCpuMsPerRequest: round(sorted[0]),
    p25CpuMsPerRequest: round(percentile(sorted, 25)),
    medianCpuMsPerRequest: round(percentile(sorted, 50)),
  };
}

const children = [];
try {
  const sides = [];
  const dirs = [repoRoot, values.versus];
  if (values['versus-first']) dirs.reverse();
  for (const [i, appDir] of dirs.entries()) {
    const port = String(Number(values.port) + 2 * i);
    const app = await startApp({ appDir, port, nodeArgs: values['node-args'], token, log });
    children.push(app.child);
    sides.push({ ...app, appDir, perRequest: [] });
  }
  for (const side of sides) await load(side.url, Number(values.warmup));
  const requests = Number(values.requests);
  for (let trial = 0; trial < Number(values.trials); trial++) {
    for (const side of trial % 2 ? [...sides].reverse() : sides) {
      const cpu0 = cpuMsOf(side.pid);
      await load(side.url, requests);
      side.perRequest.push((cpuMsOf(side.pid) - cpu0) / requests);
    }
  }
  const [mine, theirs] = [repoRoot, values.versus].map((dir) =>
    summary(sides.find((s) => s.appDir === dir).perRequest),
  );
  const result = {
    this: mine,
    versus: theirs,
    versusDir: values.versus,
    versusFirst: values['versus-first'],
    thisOverVersus: {
      min: round(mine.minCpuMsPerRequest / theirs.minCpuMsPerRequest),
      p25: round(mine.p25CpuMsPerRequest / theirs.p25CpuMsPerRequest),
      median: round(mine.medianCpuMsPerRequest / theirs.medianCpuMsPerRequest),
    },
    loadavg: loadavg().map((v) => Math.round(v * 100) / 100),
  };
  if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result));
} finally {
  agent.destroy();
  for (const child of children) await stopChild(child);
}
