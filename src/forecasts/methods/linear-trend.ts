import { mean, Point } from './series';

/** A least-squares line through a series, with how well it fits. */
export interface LinearFit {
  /** Value change per millisecond. */
  slope: number;
  /** Value at t = 0 (epoch): use valueAt() rather than this. */
  intercept: number;
  /** Share of the variance the line explains, 0–1 (1 for a flat series fitted exactly). */
  r2: number;
  /** Standard deviation of the residuals. */
  residualStd: number;
  /** Standard error of the slope: a slope within about two of these of zero is no trend. */
  slopeStdError: number;
  points: number;
}

/**
 * Ordinary least squares over (t, v). Times are centred before fitting so epoch-sized numbers
 * do not cost precision. Returns null with fewer than two distinct times.
 */
export function fitLine(points: readonly Point[]): LinearFit | null {
  if (points.length < 2) return null;
  const tMean = mean(points.map((p) => p.t));
  const vMean = mean(points.map((p) => p.v));
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    const dt = p.t - tMean;
    const dv = p.v - vMean;
    sxx += dt * dt;
    sxy += dt * dv;
    syy += dv * dv;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = vMean - slope * tMean;
  const sse = points.reduce((sum, p) => sum + (p.v - (intercept + slope * p.t)) ** 2, 0);
  const r2 = syy === 0 ? 1 : Math.max(0, 1 - sse / syy);
  const residualStd = Math.sqrt(sse / Math.max(1, points.length - 2));
  const slopeStdError = residualStd / Math.sqrt(sxx);
  return { slope, intercept, r2, residualStd, slopeStdError, points: points.length };
}

/** True when the slope differs from zero by more than two standard errors (about 95 %). */
export function significantTrend(fit: LinearFit): boolean {
  return fit.slopeStdError === 0 ? fit.slope !== 0 : Math.abs(fit.slope) > 2 * fit.slopeStdError;
}

export function valueAt(fit: LinearFit, t: number): number {
  return fit.intercept + fit.slope * t;
}

/**
 * When the fitted line reaches `threshold` going up, or null when it never does (flat or
 * falling) or already has at `now`.
 */
export function lineCrossing(fit: LinearFit, threshold: number, now: number): number | null {
  if (fit.slope <= 0) return null;
  const at = (threshold - fit.intercept) / fit.slope;
  return at > now ? at : null;
}
