/** Additive Holt-Winters state after fitting: level, trend per step, one seasonal term per phase. */
export interface HoltWintersFit {
  alpha: number;
  beta: number;
  gamma: number;
  level: number;
  trend: number;
  season: number[];
  /** Sum of squared one-step-ahead errors over the fitted values. */
  sse: number;
  /** Phase (index into season) of the step after the last value. */
  nextPhase: number;
}

function run(
  values: readonly number[],
  m: number,
  alpha: number,
  beta: number,
  gamma: number,
): HoltWintersFit {
  // Initial level and trend from the first two seasons, seasonal terms from the first one.
  const first = values.slice(0, m);
  const second = values.slice(m, 2 * m);
  const avg = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  let level = avg(first);
  let trend = (avg(second) - avg(first)) / m;
  const season = first.map((v) => v - level);
  let sse = 0;
  for (let i = m; i < values.length; i++) {
    const s = season[i % m];
    const predicted = level + trend + s;
    sse += (values[i] - predicted) ** 2;
    const previousLevel = level;
    level = alpha * (values[i] - s) + (1 - alpha) * (level + trend);
    trend = beta * (level - previousLevel) + (1 - beta) * trend;
    season[i % m] = gamma * (values[i] - level) + (1 - gamma) * s;
  }
  return { alpha, beta, gamma, level, trend, season, sse, nextPhase: values.length % m };
}

const GRID = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];

/**
 * Fits additive Holt-Winters to equally spaced values with season length m, choosing the
 * smoothing constants by a grid search on one-step-ahead error. Needs at least two full seasons.
 * https://otexts.com/fpp3/holt-winters.html
 */
export function fitHoltWinters(values: readonly number[], m: number): HoltWintersFit | null {
  if (m < 2 || values.length < 2 * m) return null;
  let best: HoltWintersFit | null = null;
  for (const alpha of GRID)
    for (const beta of GRID)
      for (const gamma of GRID) {
        const fit = run(values, m, alpha, beta, gamma);
        if (!best || fit.sse < best.sse) best = fit;
      }
  return best;
}

/** The forecast h steps after the last fitted value (h ≥ 1). */
export function holtWintersForecast(fit: HoltWintersFit, h: number): number {
  const m = fit.season.length;
  return fit.level + h * fit.trend + fit.season[(fit.nextPhase + h - 1) % m];
}

/** Autocorrelation of the values at a lag: how strongly a season of that length shows, −1 to 1. */
export function autocorrelation(values: readonly number[], lag: number): number {
  if (lag <= 0 || lag >= values.length) return 0;
  const avg = values.reduce((a, b) => a + b, 0) / values.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < values.length; i++) {
    den += (values[i] - avg) ** 2;
    if (i >= lag) num += (values[i] - avg) * (values[i - lag] - avg);
  }
  return den === 0 ? 0 : num / den;
}
