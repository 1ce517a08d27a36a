// The loop probe's file (bench/lib/loop-probe.mjs), summarised for a bench result: the loop-delay
// histogram, GC pauses by kind, the stalls, and what ran in them when the app was CPU-profiled.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stallReport } from './stall-report.mjs';

export function loopSummary(probeFile, nodeArgs) {
  const probe = JSON.parse(readFileSync(probeFile, 'utf8'));
  const gc = {};
  for (const g of probe.gcs) {
    const k = (gc[g.kind] ??= { count: 0, totalMs: 0, maxMs: 0, over20ms: 0 });
    k.count++;
    k.totalMs = Math.round((k.totalMs + g.ms) * 100) / 100;
    k.maxMs = Math.max(k.maxMs, g.ms);
    if (g.ms > 20) k.over20ms++;
  }
  const stalls = [...probe.stalls].sort((a, b) => b.lateMs - a.lateMs);
  const summary = {
    file: probeFile,
    loopDelayMs: probe.loopDelayMs,
    loopDelayBuckets: probe.loopDelayBuckets,
    gc,
    stalls: { count: stalls.length, worstMs: stalls.slice(0, 10).map((s) => s.lateMs) },
    rssSeriesMiB: probe.series.map((s) => s.rssMiB),
  };
  const dir = /--cpu-prof-dir[= ](\S+)/.exec(nodeArgs ?? '')?.[1];
  if (dir && stalls.length) {
    const newest = readdirSync(dir)
      .filter((f) => /\.0\.\d+\.cpuprofile$/.test(f)) // the main thread's
      .map((f) => join(dir, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    if (newest) summary.inStalls = stallReport(probe, JSON.parse(readFileSync(newest, 'utf8')));
  }
  return summary;
}
