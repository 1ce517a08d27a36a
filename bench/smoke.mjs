// Runs every bench script briefly, so none can rot unseen (bench:cache once died on an API that had
// moved and nobody noticed for a week). Not part of `npm test`: benches are not timed tests, and
// this checks only that each one runs to completion on the test cluster, not its figures.
//   npm run bench:smoke -- [--cluster bench-smoke] [--keep]
// Brings the cluster up (kept with --keep), fills it with a few hundred pods, then runs each bench
// with tiny parameters and a deadline, and prints one line per bench. Exit 1 if any failed.
import { spawn, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { repoRoot } from './lib/kube.mjs';

const { values } = parseArgs({
  options: {
    cluster: { type: 'string', default: 'bench-smoke' },
    keep: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const cluster = values.cluster;
const env = { ...process.env, BENCH_CLUSTER: cluster };
const node = process.execPath;

/** Each bench with the smallest parameters that still run every phase of it. */
const BENCHES = [
  ['floor', ['bench/floor.mjs']],
  ['cache', ['--expose-gc', 'bench/cache.mjs', '--steady', '2', '--changes', '3']],
  ['sync', ['bench/sync-compare.mjs', '--runs', '1']],
  ['list', ['bench/list-compare.mjs', '--runs', '1']],
  ['memory', ['bench/memory-compare.mjs', '--before', repoRoot, '--runs', '1']],
  [
    'baseline',
    ['--expose-gc', 'bench/baseline.mjs', '--steady', '2', '--changes', '3', '--ttl', '5'],
  ],
  ['http', ['bench/http-load.mjs', '--rate', '50', '--seconds', '3', '--warmup', '1', '--floor']],
  [
    'http-versus',
    [
      ...['bench/http-load.mjs', '--rate', '50', '--warmup', '1', '--slices', '2'],
      ...['--slice-seconds', '1', '--versus', repoRoot, '--port', '8133'],
    ],
  ],
  [
    'http-paired',
    [
      ...['bench/http-paired.mjs', '--trials', '2', '--requests', '50', '--warmup', '20'],
      ...['--versus', repoRoot, '--port', '8137'],
    ],
  ],
  [
    'changes-overview',
    [
      ...['bench/changes-overview.mjs', '--rate', '50', '--seconds', '3', '--warmup', '1'],
      ...['--changes-per-second', '5', '--rounds', '1'],
    ],
  ],
  [
    'soak',
    [
      'bench/http-load.mjs',
      '--soak',
      '--rate',
      '50',
      '--seconds',
      '4',
      '--warmup',
      '1',
      '--rss-every',
      '1',
      '--token-kind',
      'minted',
      '--loop-probe',
      '/tmp/cloudpilot-smoke-loop.json',
    ],
  ],
  ['cluster-cost', ['--expose-gc', 'bench/cluster-cost.mjs', '--caches', '2']],
  ['fleet', ['bench/fleet.mjs', '--clusters', '3', '--base', '1', '--requests', '5']],
  ['pod-record', ['--expose-gc', 'bench/pod-record.mjs', '--pods', '2000', '--shape', 'bench']],
  [
    'diagnostics',
    [
      '--expose-gc',
      'bench/diagnostics.mjs',
      '--pods',
      '2000',
      '--runs',
      '1',
      '--changes',
      '3',
      '--load-seconds',
      '1',
      '--first-rounds',
      '1',
    ],
  ],
  [
    'diagnostics-first',
    ['--expose-gc', 'bench/diagnostics.mjs', '--pods', '2000', '--runs', '1', '--first-only'],
  ],
  ['diagnostics-fill', ['bench/diagnostics-fill.mjs', '--pods', '2000', '--rounds', '1']],
  ['validations', ['bench/validations.mjs', '--requests', '3']],
  ['changes', ['bench/changes.mjs', '--events', '500', '--seconds', '10']],
  [
    'telemetry',
    [
      'bench/telemetry.mjs',
      ...['--services', '20', '--edges', '60', '--window', '10', '--requests', '3'],
      ...['--dashboard-seconds', '2', '--users', '2', '--users-seconds', '3'],
      ...['--warm-interval', '2', '--no-readers-seconds', '2'],
    ],
  ],
  [
    'telemetry-fold',
    [
      'bench/telemetry-fold.mjs',
      ...['--services', '20', '--edges', '60', '--rounds', '2'],
      '--warmup',
      '1',
    ],
  ],
  [
    'behaviour',
    [
      'bench/behaviour.mjs',
      ...['--services', '10,20', '--evaluations', '2', '--window', '10', '--offset', '10'],
      ...['--volume-window', '10'],
    ],
  ],
];
const DEADLINE_MS = 5 * 60_000;

function step(args) {
  const res = spawnSync(node, args, { cwd: repoRoot, env, stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`${args.join(' ')} exited ${res.status}`);
}

/** One bench in its own process: its output goes to a buffer, shown only when it fails. */
function runBench(name, args) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(node, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (d) => output.push(d));
    child.stderr.on('data', (d) => output.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      resolve({ name, ok: code === 0, code, signal, seconds, output: Buffer.concat(output) });
    });
  });
}

step(['scripts/cluster/cli.mjs', 'up', '--name', cluster, '--nodes', '10', '--no-prometheus']);
step(['bench/fill.mjs', '--pods', '300', '--per-namespace', '150']);
const selected = values.only
  ? BENCHES.filter(([n]) => values.only.split(',').includes(n))
  : BENCHES;
const results = [];
for (const [name, args] of selected) {
  const r = await runBench(name, args);
  results.push(r);
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${name.padEnd(18)} ${r.seconds} s`);
  if (!r.ok) {
    process.stdout.write(r.output.subarray(-4000));
    console.log(`\n${name}: exit ${r.code ?? r.signal}`);
  }
}
if (!values.keep) step(['scripts/cluster/cli.mjs', 'down', '--name', cluster]);
const failed = results.filter((r) => !r.ok).map((r) => r.name);
console.log(
  failed.length ? `bench:smoke: failed: ${failed.join(', ')}` : 'bench:smoke: every bench ran',
);
process.exit(failed.length ? 1 : 0);
