/** One observation of a metric: epoch milliseconds and a value. */
export interface Point {
  t: number;
  v: number;
}

/** Points in time order with non-finite values dropped: every method starts from this. */
export function cleanSeries(points: readonly Point[]): Point[] {
  return points
    .filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v))
    .sort((a, b) => a.t - b.t);
}

/** The median step between consecutive points (robust to a missed tick), or 0 with fewer than two. */
export function typicalStep(points: readonly Point[]): number {
  const steps = points.slice(1).map((p, i) => p.t - points[i].t);
  if (!steps.length) return 0;
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)];
}

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
