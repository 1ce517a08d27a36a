// Preloaded into the app by bench/http-load.mjs (`node --import ./bench/lib/loop-probe.mjs`) when
// it is asked for the event loop: what holds the app's loop, measured from inside the app process
// without a line of it in src/. Writes one JSON file at exit (or at SIGUSR2) to LOOP_PROBE_OUT:
//   - the event-loop delay histogram (perf_hooks.monitorEventLoopDelay, 10 ms resolution);
//   - every GC pause (perf_hooks 'gc' entries: kind, duration, start);
//   - every stall: a 5 ms heartbeat timer that fired more than LOOP_PROBE_STALL_MS (20) late,
//     with its window on the monotonic clock V8's CPU profile uses (µs), so a `--cpu-prof` of the
//     same run can name what ran in it (bench/lib/stall-report.mjs);
//   - an RSS / heap series every LOOP_PROBE_SAMPLE_MS (10 s).
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver, constants } from 'node:perf_hooks';

const out = process.env.LOOP_PROBE_OUT;
const stallMs = Number(process.env.LOOP_PROBE_STALL_MS ?? 20);
const sampleMs = Number(process.env.LOOP_PROBE_SAMPLE_MS ?? 10_000);
const BEAT_MS = 5;
const GC_KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental-marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak-callbacks',
};

if (out) {
  const started = Date.now();
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const gcs = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      gcs.push({
        kind: GC_KINDS[e.detail?.kind] ?? String(e.detail?.kind),
        ms: round(e.duration),
        atMs: Math.round(e.startTime),
      });
  }).observe({ entryTypes: ['gc'] });

  const stalls = [];
  // hrtime is CLOCK_MONOTONIC in ns, the clock of a V8 CPU profile's timestamps (µs).
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  let last = nowUs();
  setInterval(() => {
    const now = nowUs();
    const lateMs = (now - last) / 1000 - BEAT_MS;
    if (lateMs > stallMs)
      stalls.push({ fromUs: last + BEAT_MS * 1000, toUs: now, lateMs: round(lateMs) });
    last = now;
  }, BEAT_MS).unref();

  const series = [];
  const sample = () => {
    const m = process.memoryUsage();
    series.push({
      atS: Math.round((Date.now() - started) / 1000),
      rssMiB: round(m.rss / 2 ** 20),
      heapUsedMiB: round(m.heapUsed / 2 ** 20),
    });
  };
  sample();
  setInterval(sample, sampleMs).unref();

  const write = () => {
    sample();
    const ms = (ns) => round(ns / 1e6);
    const percentiles = {};
    for (const p of [50, 90, 99, 99.9, 100]) percentiles[`p${p}`] = ms(histogram.percentile(p));
    writeFileSync(
      out,
      JSON.stringify({
        seconds: Math.round((Date.now() - started) / 1000),
        loopDelayMs: { ...percentiles, mean: ms(histogram.mean), count: histogram.count },
        loopDelayBuckets: buckets(histogram),
        gcs,
        stalls,
        series,
      }) + '\n',
    );
  };
  process.on('SIGUSR2', write);
  process.on('exit', write);
}

/** How many loop-delay samples fell in each band: where the histogram's mass is, at a glance. */
function buckets(histogram) {
  const bands = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
  const result = {};
  let below = 0;
  for (const band of bands) {
    // percentile() is exact enough here: find the share of samples at or under the band.
    let lo = 0;
    let hi = 100;
    for (let i = 0; i < 30; i++) {
      const mid = (lo + hi) / 2;
      if (histogram.percentile(mid) / 1e6 <= band) lo = mid;
      else hi = mid;
    }
    const count = Math.round((lo / 100) * histogram.count);
    result[`<=${band}ms`] = count - below;
    below = count;
  }
  result['>1000ms'] = histogram.count - below;
  return result;
}

function round(x) {
  return Math.round(x * 100) / 100;
}
