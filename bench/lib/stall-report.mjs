// Names what ran while the app's event loop stalled: the CPU profile's samples that fall in the
// stall windows loop-probe.mjs recorded (both on the monotonic clock, µs), grouped by the frame on
// top and the nearest frame of the app's own code (dist/) below it. Also usable alone:
//   node bench/lib/stall-report.mjs <probe.json> <profile.cpuprofile> [--top 15]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** { stalls, sampledMs, top: [{ frame, appFrame, ms }] } over every stall of the probe. */
export function stallReport(probe, profile, top = 15) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const windows = probe.stalls.map((s) => [s.fromUs, s.toUs]).sort((a, b) => a[0] - b[0]);
  const byKey = new Map();
  let t = profile.startTime;
  let sampledUs = 0;
  let w = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    while (w < windows.length && windows[w][1] < t) w++;
    if (w >= windows.length) break;
    if (t < windows[w][0]) continue;
    sampledUs += delta;
    const key = describe(profile.samples[i], nodes, parent);
    byKey.set(key, (byKey.get(key) ?? 0) + delta);
  }
  const rows = [...byKey.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => ({ where: key, ms: Math.round(us / 100) / 10 }));
  return { stalls: windows.length, sampledMs: Math.round(sampledUs / 1000), top: rows };
}

function frameName(node) {
  const f = node.callFrame;
  const file = f.url ? f.url.replace(/^.*\/(node_modules|dist)\//, '$1/') : '';
  return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
}

/** The frame on top, and the nearest frame of the app's own compiled code under it. */
function describe(id, nodes, parent) {
  const self = nodes.get(id);
  let cur = id;
  while (cur !== undefined) {
    const n = nodes.get(cur);
    if (n.callFrame.url.includes('/dist/') && cur !== id)
      return `${frameName(self)} ← ${frameName(n)}`;
    cur = parent.get(cur);
  }
  return frameName(self);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '15' } },
  });
  const [probeFile, profileFile] = positionals;
  if (!probeFile || !profileFile)
    throw new Error('usage: stall-report.mjs <probe.json> <profile.cpuprofile> [--top N]');
  const read = (f) => JSON.parse(readFileSync(f, 'utf8'));
  console.log(
    JSON.stringify(stallReport(read(probeFile), read(profileFile), Number(values.top)), null, 2),
  );
}
