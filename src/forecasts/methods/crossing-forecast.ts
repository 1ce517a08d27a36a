import { autocorrelation, fitHoltWinters, holtWintersForecast } from './holt-winters';
import { fitLine, lineCrossing, significantTrend, valueAt } from './linear-trend';
import { cleanSeries, Point, typicalStep } from './series';

export interface CrossingOptions {
  /** The time the forecast is made (epoch ms): crossings before it do not count. */
  now: number;
  /** How far ahead a crossing is looked for (ms). */
  horizonMs: number;
  /** Season length in points (e.g. 1440 one-minute points for a day), if the metric may be seasonal. */
  seasonLength?: number;
  /** Only the last this many points are fitted by the linear trend (recent behaviour matters most). */
  window?: number;
}

export type ForecastMethod = 'linear' | 'holt-winters';

/** When a rising metric reaches a threshold, how sure, and what it is based on. */
export interface CrossingForecast {
  method: ForecastMethod | null;
  /** Expected crossing (epoch ms); null when none is expected (see reason). */
  crossesAt: number | null;
  /** True when crossesAt is within the horizon. */
  withinHorizon: boolean;
  /** 0–1: how well the method fits the points it used, discounted for few points. */
  confidence: number;
  /** The fitted value at `now`. */
  current: number | null;
  /** Fitted growth per hour (linear), or the trend per hour (Holt-Winters). */
  slopePerHour: number | null;
  /** How many points the method used. */
  points: number;
  /** Why there is no crossing: too few points, flat, decreasing, already crossed. */
  reason?: string;
}

const HOUR = 3_600_000;
/** Seasonality must explain at least this much autocorrelation at the season's lag. */
const SEASONAL_ACF = 0.5;
const MIN_POINTS = 4;

/** No crossing can be forecast: says why, with how many points there were. */
export const noCrossing = (
  points: number,
  reason: string,
  current: number | null = null,
): CrossingForecast => ({
  method: null,
  crossesAt: null,
  withinHorizon: false,
  confidence: 0,
  current,
  slopePerHour: null,
  points,
  reason,
});

/**
 * Forecasts when a series will reach `threshold` from below. Holt-Winters when a season length is
 * given, two full seasons are there and the detrended series shows it; otherwise least squares on
 * the recent window. Plain, explainable methods: see docs/forecasts.md for their limits.
 */
export function forecastCrossing(
  series: readonly Point[],
  threshold: number,
  options: CrossingOptions,
): CrossingForecast {
  const all = cleanSeries(series);
  if (all.length < MIN_POINTS) return noCrossing(all.length, 'too few points');
  const last = all[all.length - 1];
  if (last.v >= threshold) {
    return {
      ...noCrossing(all.length, 'already at or above the threshold', last.v),
      crossesAt: last.t,
    };
  }
  const seasonal = options.seasonLength ? seasonalForecast(all, threshold, options) : null;
  return seasonal ?? linearForecast(all, threshold, options);
}

function linearForecast(
  all: Point[],
  threshold: number,
  options: CrossingOptions,
): CrossingForecast {
  const points = options.window ? all.slice(-options.window) : all;
  const fit = fitLine(points);
  if (!fit) return noCrossing(points.length, 'too few points');
  const current = valueAt(fit, options.now);
  // A slope the noise could explain is no trend; a significant fall never crosses upwards.
  if (!significantTrend(fit) || fit.slope < 0) {
    const reason = fit.slope < 0 && significantTrend(fit) ? 'decreasing' : 'flat';
    return { ...noCrossing(points.length, reason, current), method: 'linear' };
  }
  const crossesAt = lineCrossing(fit, threshold, options.now);
  return {
    method: 'linear',
    crossesAt,
    withinHorizon: crossesAt !== null && crossesAt - options.now <= options.horizonMs,
    confidence: round(fit.r2 * Math.min(1, points.length / 10)),
    current,
    slopePerHour: fit.slope * HOUR,
    points: points.length,
  };
}

function seasonalForecast(
  all: Point[],
  threshold: number,
  options: CrossingOptions,
): CrossingForecast | null {
  const m = options.seasonLength!;
  const values = all.map((p) => p.v);
  const line = fitLine(all);
  if (!line || values.length < 2 * m) return null;
  const detrended = all.map((p) => p.v - valueAt(line, p.t));
  if (autocorrelation(detrended, m) < SEASONAL_ACF) return null;
  const fit = fitHoltWinters(values, m);
  const step = typicalStep(all);
  if (!fit || step <= 0) return null;
  const last = all[all.length - 1].t;
  const steps = Math.ceil((options.now + options.horizonMs - last) / step);
  let crossesAt: number | null = null;
  for (let h = 1; h <= Math.max(steps, 4 * m) && crossesAt === null; h++) {
    if (holtWintersForecast(fit, h) >= threshold) crossesAt = last + h * step;
  }
  const rmse = Math.sqrt(fit.sse / Math.max(1, values.length - m));
  const spread = Math.max(...values) - Math.min(...values) || 1;
  return {
    method: 'holt-winters',
    crossesAt,
    withinHorizon: crossesAt !== null && crossesAt - options.now <= options.horizonMs,
    confidence: round(Math.max(0, 1 - rmse / spread) * Math.min(1, values.length / (3 * m))),
    current: fit.level,
    slopePerHour: (fit.trend / step) * HOUR,
    points: values.length,
    ...(crossesAt === null ? { reason: 'not reached within the horizon' } : {}),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
