// Istio's request duration histogram, shaped so that Prometheus's histogram_quantile() returns the
// configured p50/p95/p99. histogram_quantile interpolates linearly inside a bucket, i.e. it reads
// the cumulative distribution as the polyline through the bucket bounds; so the simulator picks the
// bounds' cumulative fractions such that this polyline passes through (p50, .5), (p95, .95) and
// (p99, .99). Two quantiles in the same bucket are only both exact when they happen to be collinear;
// then the higher one is dropped (a real histogram cannot tell them apart either).

/** Istio's default buckets for istio_request_duration_milliseconds (ms). */
export const ISTIO_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
  1800000, 3600000,
];

const QUANTILES = [
  ['p50', 0.5],
  ['p95', 0.95],
  ['p99', 0.99],
];

/** Index i of the bucket (bounds[i-1], bounds[i]] holding value v; bounds[0] is 0. */
function bucketOf(bounds, v) {
  const i = bounds.findIndex((b, idx) => idx > 0 && v <= b);
  return i < 0 ? bounds.length - 1 : i;
}

/**
 * Solves one run of adjacent target buckets. F at the run's bounds is affine in x = F(first
 * bound); every constraint (monotone, inside the separators lo/hi) bounds x. Returns the anchors
 * (bound index → F) or null when no x satisfies all of them.
 */
function solveRun(bounds, run, lo, hi) {
  const first = run[0].bucket - 1;
  let alpha = 0;
  let beta = 1;
  let xMin = bounds[first] === 0 ? 0 : lo;
  let xMax = bounds[first] === 0 ? 0 : 1;
  const affine = [[alpha, beta]];
  const limit = (a, b, c) => {
    // a + b·x <= c
    if (b > 0) xMax = Math.min(xMax, (c - a) / b);
    else if (b < 0) xMin = Math.max(xMin, (c - a) / b);
    else if (a > c + 1e-12) xMin = Infinity;
  };
  for (const { bucket, v, q } of run) {
    const a = bounds[bucket - 1];
    const b = bounds[bucket];
    limit(alpha, beta, q); // F(a) <= q: the polyline rises through the target
    const r = (b - v) / (v - a);
    alpha = q * (1 + r) - r * alpha;
    beta = -r * beta;
    affine.push([alpha, beta]);
  }
  limit(alpha, beta, hi);
  if (!(xMin <= xMax + 1e-12)) return null;
  const x = (xMin + Math.min(xMax, 1)) / 2;
  return affine.map(([a, b], j) => [first + j, Math.min(1, Math.max(0, a + b * x))]);
}

function targetsOf(latency) {
  const bounds = [0, ...ISTIO_BUCKETS];
  const targets = [];
  for (const [key, q] of QUANTILES) {
    const v = latency[key];
    const bucket = bucketOf(bounds, v);
    if (targets.some((t) => t.bucket === bucket)) continue;
    targets.push({ bucket, v, q });
  }
  return { bounds, targets };
}

/** Splits targets into runs of adjacent buckets. */
function runsOf(targets) {
  const runs = [];
  for (const t of targets) {
    const last = runs.at(-1);
    if (last && last.at(-1).bucket === t.bucket - 1) last.push(t);
    else runs.push([t]);
  }
  return runs;
}

function anchorsFor(bounds, targets) {
  const runs = runsOf(targets);
  const anchors = new Map([[0, 0]]);
  runs.forEach((run, k) => {
    // Separators halfway between neighbouring runs keep the whole polyline monotone.
    const lo = k > 0 ? (runs[k - 1].at(-1).q + run[0].q) / 2 : 0;
    const hi = k + 1 < runs.length ? (run.at(-1).q + runs[k + 1][0].q) / 2 : 1;
    const solved = solveRun(bounds, run, lo, hi);
    if (!solved) return;
    for (const [i, f] of solved) anchors.set(i, f);
  });
  return anchors;
}

/**
 * Cumulative fraction of requests at or below each of ISTIO_BUCKETS (the `le` buckets; +Inf is 1)
 * for a latency distribution {p50, p95, p99} in ms.
 */
export function bucketFractions(latency) {
  let { bounds, targets } = targetsOf(latency);
  let anchors = anchorsFor(bounds, targets);
  // A run with no solution: drop its highest target until one exists (p50 alone always has one).
  while (targets.some((t) => !anchors.has(t.bucket)) && targets.length > 1) {
    targets = targets.slice(0, -1);
    anchors = anchorsFor(bounds, targets);
  }
  const last = Math.max(...anchors.keys());
  // All mass left after the last anchor falls into the next bucket.
  if (last + 1 < bounds.length) anchors.set(last + 1, 1);
  const known = [...anchors.keys()].sort((a, b) => a - b);
  const fractions = [];
  for (let i = 1; i < bounds.length; i++) {
    if (anchors.has(i)) {
      fractions.push(anchors.get(i));
      continue;
    }
    const lo = known.filter((k) => k < i).at(-1);
    const hi = known.find((k) => k > i);
    if (hi === undefined) {
      fractions.push(1);
      continue;
    }
    const t = (bounds[i] - bounds[lo]) / (bounds[hi] - bounds[lo]);
    fractions.push(anchors.get(lo) + t * (anchors.get(hi) - anchors.get(lo)));
  }
  return fractions;
}

/** Mean latency (ms) of the distribution, uniform inside each bucket: the _sum / _count ratio. */
export function meanOf(fractions) {
  let mean = 0;
  let prevF = 0;
  let prevB = 0;
  fractions.forEach((f, i) => {
    mean += (f - prevF) * ((prevB + ISTIO_BUCKETS[i]) / 2);
    prevF = f;
    prevB = ISTIO_BUCKETS[i];
  });
  return mean;
}

/** What histogram_quantile(q) returns for these fractions (the oracle unit tests use). */
export function quantileOf(fractions, q) {
  let prevF = 0;
  let prevB = 0;
  for (let i = 0; i < fractions.length; i++) {
    if (fractions[i] >= q) {
      const f = fractions[i];
      return prevB + ((ISTIO_BUCKETS[i] - prevB) * (q - prevF)) / (f - prevF);
    }
    prevF = fractions[i];
    prevB = ISTIO_BUCKETS[i];
  }
  return ISTIO_BUCKETS.at(-1);
}
