// Cold sync of ClusterCache vs the physical floor (bench/floor.mjs), alternating fresh processes so
// both see the same API server state and load; prints each run and the medians.
//   npm run bench:sync -- [--runs 5]
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const here = new URL('.', import.meta.url).pathname;
const run = (args) =>
  JSON.parse(
    execFileSync(process.execPath, args, {
      cwd: here,
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    }).toString(),
  );
const floors = [];
const caches = [];
let scale;
for (let i = 0; i < Number(values.runs); i++) {
  const f = run(['floor.mjs']);
  const c = run(['--expose-gc', 'cache.mjs', '--steady', '0', '--changes', '0']);
  floors.push(f.floorMs);
  caches.push(c.coldSyncMs);
  scale = c.scale;
  console.log(
    `run ${i + 1}: floor ${f.floorMs} ms (${f.objects} objects, ${f.megabytes} MB, ${f.restarts} restarts after 410), ClusterCache ${c.coldSyncMs} ms (${c.statsAfterSync.lists} LISTs, ${c.statsAfterSync.relistsAfterGone} relists after 410), ratio ${(c.coldSyncMs / f.floorMs).toFixed(2)}, load ${os.loadavg()[0].toFixed(1)}`,
  );
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  JSON.stringify({
    scale,
    floorMs: floors,
    cacheMs: caches,
    floorMedianMs: median(floors),
    cacheMedianMs: median(caches),
    ratioOfMedians: Math.round((median(caches) / median(floors)) * 100) / 100,
  }),
);
