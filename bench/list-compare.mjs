// Streamed initial list (WatchList, sendInitialEvents) against paginated LISTs, side by side in one
// run: alternating fresh processes of bench/cache.mjs (--list stream / --list pages) and the floor
// (bench/floor.mjs), so all see the same API server state and load. Prints each run, then medians
// of cold sync, RSS and heap per pod after forced GCs, and peak RSS while syncing.
//   npm run bench:list -- [--runs 3]
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const here = new URL('.', import.meta.url).pathname;
const run = (args) =>
  JSON.parse(
    execFileSync(process.execPath, args, {
      cwd: here,
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    }).toString(),
  );
const rows = { floor: [], pages: [], stream: [] };
let scale;
for (let i = 0; i < Number(values.runs); i++) {
  const load = os.loadavg()[0].toFixed(1);
  const f = run(['floor.mjs']);
  rows.floor.push({ coldSyncMs: f.floorMs });
  for (const list of i % 2 ? ['stream', 'pages'] : ['pages', 'stream']) {
    // The young generation the app runs with (docker/Dockerfile, `npm start`): it decides the RSS.
    const c = run([
      '--expose-gc',
      '--max-semi-space-size=16',
      'cache.mjs',
      ...['--steady', '0', '--changes', '0', '--list', list],
    ]);
    scale = c.scale;
    const m = c.memory;
    rows[list].push({
      coldSyncMs: c.coldSyncMs,
      rssPerPod: m.rssPerPodBytes,
      heapPerPod: m.heapPerPodBytes,
      peakRssMiB: Math.round(m.peakRssAboveBeforeBytes / 2 ** 20),
      lists: c.statsAfterSync.lists,
    });
    console.log(`run ${i + 1} ${list}: ${JSON.stringify(rows[list].at(-1))}, load ${load}`);
  }
  console.log(`run ${i + 1} floor: ${f.floorMs} ms`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = Object.fromEntries(
  Object.entries(rows).map(([k, rs]) => [
    k,
    Object.fromEntries(Object.keys(rs[0]).map((f) => [f, median(rs.map((r) => r[f]))])),
  ]),
);
console.log(JSON.stringify({ scale, load: os.loadavg()[0], median: summary, runs: rows }, null, 2));
