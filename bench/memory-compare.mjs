// Memory per cached pod before and after a change, side by side in one run: alternating fresh
// processes of another checkout's bench/cache.mjs (--before, e.g. main built in /tmp) and this
// checkout's, plus the floor (bench/floor.mjs), against the same bench cluster and its load.
// Prints each run, then medians of cold sync, RSS and heap per pod and peak RSS while syncing.
//   npm run build && node bench/memory-compare.mjs --before /tmp/main-checkout [--runs 3]
// The other checkout needs its own `npm run build` and this checkout's .cloudpilot (symlink it).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, before: { type: 'string' } },
});
if (!values.before) throw new Error('--before <checkout with dist/> is required');
const here = new URL('.', import.meta.url).pathname;
const benches = { before: join(values.before, 'bench'), after: here };
const run = (cwd, args) =>
  JSON.parse(
    execFileSync(process.execPath, args, {
      cwd,
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    }).toString(),
  );
const rows = { floor: [], before: [], after: [] };
let scale;
for (let i = 0; i < Number(values.runs); i++) {
  const load = os.loadavg()[0].toFixed(1);
  const f = run(here, ['floor.mjs']);
  rows.floor.push({ coldSyncMs: f.floorMs, load: Number(load) });
  console.log(`run ${i + 1} floor: ${f.floorMs} ms, load ${load}`);
  for (const which of i % 2 ? ['after', 'before'] : ['before', 'after']) {
    const startLoad = os.loadavg()[0];
    const c = run(benches[which], ['--expose-gc', 'cache.mjs', '--steady', '0', '--changes', '0']);
    scale = c.scale;
    const m = c.memory;
    rows[which].push({
      coldSyncMs: c.coldSyncMs,
      rssPerPod: m.rssPerPodBytes,
      heapPerPod: m.heapPerPodBytes,
      peakRssMiB: Math.round(m.peakRssAboveBeforeBytes / 2 ** 20),
      rssAfterMiB: Math.round(m.after.rss / 2 ** 20),
      load: Number(startLoad.toFixed(1)),
    });
    console.log(`run ${i + 1} ${which}: ${JSON.stringify(rows[which].at(-1))}`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = Object.fromEntries(
  Object.entries(rows).map(([k, rs]) => [
    k,
    Object.fromEntries(Object.keys(rs[0]).map((f) => [f, median(rs.map((r) => r[f]))])),
  ]),
);
console.log(JSON.stringify({ scale, load: os.loadavg(), median: summary, runs: rows }, null, 2));
