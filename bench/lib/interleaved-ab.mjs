// Interleaved A/B for bench/http-load.mjs --versus: both apps run side by side and the load
// alternates between them in short slices. On a machine others load, the load average moves more
// between two back-to-back runs than the difference being measured; alternating every few
// seconds gives both apps the same minutes, and each app's CPU while the other is loaded is its
// own background work (watches, periodic jobs), measured in those same minutes.
import { performance } from 'node:perf_hooks';
import { percentile } from './kube.mjs';

const round3 = (x) => Math.round(x * 1000) / 1000;
const median = (xs) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/**
 * Runs `slices` rounds; in each, every side in turn gets `seconds` of load through
 * `phase(side, seconds, true)` (the order flips every round). Per side: gross and net CPU per
 * request over all its slices, the median of its per-slice net figures, and its idle CPU.
 */
export async function interleave({ sides, slices, seconds, phase, cpuMsOf }) {
  const acc = sides.map(() => ({ loadedMs: 0, loadedS: 0, idleMs: 0, idleS: 0, requests: 0 }));
  const slicesOf = sides.map(() => []);
  for (let round = 0; round < slices; round++) {
    const order = sides.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const s of order) {
      const cpu0 = sides.map((side) => cpuMsOf(side.pid));
      const t0 = performance.now();
      const result = await phase(sides[s], seconds, true);
      const elapsedS = (performance.now() - t0) / 1000;
      sides.forEach((side, k) => {
        const used = cpuMsOf(side.pid) - cpu0[k];
        const a = acc[k];
        if (k !== s) {
          a.idleMs += used;
          a.idleS += elapsedS;
          return;
        }
        a.loadedMs += used;
        a.loadedS += elapsedS;
        a.requests += result.requests;
        slicesOf[k].push({ cpuMs: used, seconds: elapsedS, result });
      });
    }
  }
  return acc.map((a, k) => summary(a, slicesOf[k]));
}

function summary(a, slices) {
  const idleMsPerSecond = a.idleS ? a.idleMs / a.idleS : 0;
  const net = (ms, s, n) => (ms - idleMsPerSecond * s) / n;
  return {
    slices: slices.length,
    requests: a.requests,
    cpuMsPerRequest: round3(a.loadedMs / a.requests),
    idleCpuMsPerSecond: Math.round(idleMsPerSecond * 10) / 10,
    netCpuMsPerRequest: round3(net(a.loadedMs, a.loadedS, a.requests)),
    medianSliceNetCpuMsPerRequest: round3(
      median(slices.map((x) => net(x.cpuMs, x.seconds, x.result.requests))),
    ),
    medianAchievedRate: median(slices.map((x) => x.result.achievedRate)),
    medianP50: median(slices.map((x) => x.result.p50)),
    medianP99: median(slices.map((x) => x.result.p99)),
  };
}
