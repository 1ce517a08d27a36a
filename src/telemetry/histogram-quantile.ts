/** One cumulative bucket of a classic histogram: observations at or below `upperBound`. */
export interface Bucket {
  upperBound: number;
  count: number;
}

/** Prometheus ignores relative differences below this between adjacent buckets (float noise). */
const SMALL_DELTA = 1e-12;
/** The smallest normal float64 (Go's math.SmallestNormal): Prometheus's floor for zero deltas. */
const MIN_NORMAL = 2.2250738585072014e-308;

function almostEqual(a: number, b: number): boolean {
  if (a === b) return true;
  const diff = Math.abs(a - b);
  const sum = Math.abs(a) + Math.abs(b);
  if (a === 0 || b === 0 || sum < MIN_NORMAL) return diff < SMALL_DELTA * MIN_NORMAL;
  return diff / Math.min(sum, Number.MAX_VALUE) < SMALL_DELTA;
}

/** Sorted by bound, same bounds added, counts made monotonic as Prometheus does before it ranks. */
function normalised(buckets: readonly Bucket[]): Bucket[] {
  const sorted = [...buckets].sort((a, b) => a.upperBound - b.upperBound);
  const out: Bucket[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && last.upperBound === b.upperBound) last.count += b.count;
    else out.push({ ...b });
  }
  // rate() of buckets scraped at slightly different times can dip; a dip counts as no change.
  let prev = out[0]?.count ?? 0;
  for (const b of out.slice(1)) {
    if (b.count < prev || almostEqual(prev, b.count)) b.count = prev;
    else prev = b.count;
  }
  return out;
}

/**
 * The φ-quantile of a classic histogram, as Prometheus's `histogram_quantile` computes it, so
 * CloudPilot can fetch a histogram's buckets once and derive p50, p95 and p99 from them instead of
 * asking Prometheus three times over the same series: linear interpolation inside the bucket that
 * holds the rank (the first bucket starts at 0 unless its bound is negative or zero); a rank in
 * the +Inf bucket answers the highest finite bound; NaN without a +Inf bucket, with fewer than
 * two buckets, or with no observations.
 * https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  return histogramQuantiles([q], buckets)[0];
}

/** Several quantiles of one histogram, its buckets sorted and made monotonic once. */
export function histogramQuantiles(qs: readonly number[], buckets: readonly Bucket[]): number[] {
  const b = normalised(buckets);
  const usable = b.length >= 2 && b[b.length - 1].upperBound === Infinity;
  const observations = usable ? b[b.length - 1].count : 0;
  return qs.map((q) => {
    if (Number.isNaN(q)) return NaN;
    if (q < 0) return -Infinity;
    if (q > 1) return Infinity;
    return observations > 0 ? rankIn(b, q * observations) : NaN;
  });
}

/** The interpolated bound at `rank` observations, in normalised buckets ending with +Inf. */
function rankIn(b: readonly Bucket[], rank: number): number {
  const i = b.findIndex((bucket) => bucket.count >= rank);
  if (i === -1 || i === b.length - 1) return b[b.length - 2].upperBound;
  if (i === 0 && b[0].upperBound <= 0) return b[0].upperBound;
  const start = i > 0 ? b[i - 1].upperBound : 0;
  const below = i > 0 ? b[i - 1].count : 0;
  return start + (b[i].upperBound - start) * ((rank - below) / (b[i].count - below));
}

const BOUNDS = new Map<string, number>();

/** The `le` label as Prometheus parses it ("+Inf", "0.5", "1e3"); NaN for anything else. */
export function upperBoundOf(le: string | undefined): number {
  if (le === undefined) return NaN;
  let bound = BOUNDS.get(le);
  if (bound === undefined) {
    bound = parseBound(le);
    // A histogram has a few dozen bounds; the cap only guards against a hostile answer.
    if (BOUNDS.size < 10_000) BOUNDS.set(le, bound);
  }
  return bound;
}

function parseBound(le: string): number {
  if (le.trim() === '') return NaN;
  if (/^\+?inf$/i.test(le)) return Infinity;
  if (/^-inf$/i.test(le)) return -Infinity;
  return Number(le);
}
