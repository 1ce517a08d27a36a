import { forecastCrossing } from './crossing-forecast';
import { Point } from './series';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1);

/** Points every stepMs from T0 for durationMs, valued by f(hours since T0). */
function series(f: (h: number) => number, durationMs: number, stepMs: number): Point[] {
  const points: Point[] = [];
  for (let t = T0; t <= T0 + durationMs; t += stepMs) points.push({ t, v: f((t - T0) / HOUR) });
  return points;
}

/** Deterministic noise in [−1, 1] (a linear congruential generator), so the test never flakes. */
function noise(seed = 7): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return (x / 2 ** 31) * 2 - 1;
  };
}

describe('forecastCrossing', () => {
  const now = T0 + 6 * HOUR;
  const horizon = { now, horizonMs: 30 * 24 * HOUR };

  it('finds the exact crossing of a linear growth', () => {
    const f = forecastCrossing(
      series((h) => 10 + 2 * h, 6 * HOUR, 5 * 60_000),
      50,
      horizon,
    );
    expect(f.method).toBe('linear');
    expect(f.crossesAt).toBeCloseTo(T0 + 20 * HOUR, -3); // within a second
    expect(f.withinHorizon).toBe(true);
    expect(f.slopePerHour).toBeCloseTo(2, 6);
    expect(f.confidence).toBe(1);
  });

  it('stays within 5 % of the true crossing through noise, with lower confidence', () => {
    const r = noise();
    const noisy = series((h) => 10 + 2 * h + 3 * r(), 6 * HOUR, 5 * 60_000);
    const f = forecastCrossing(noisy, 50, horizon);
    const trueSpan = 20 * HOUR - 6 * HOUR;
    expect(Math.abs(f.crossesAt! - (T0 + 20 * HOUR))).toBeLessThan(0.05 * trueSpan);
    expect(f.confidence).toBeGreaterThan(0.5);
    expect(f.confidence).toBeLessThan(1);
  });

  it('uses Holt-Winters on a daily cycle and finds the first peak that crosses', () => {
    // Slow growth plus a daily swing: the threshold is first reached at a daily peak, long before
    // the trend alone would reach it.
    const g = (h: number) => 100 + 0.2 * h + 20 * Math.sin((2 * Math.PI * h) / 24);
    const points = series(g, 4 * 24 * HOUR, HOUR);
    const last = points[points.length - 1].t;
    const threshold = 135;
    let truth = last;
    while (g((truth - T0) / HOUR) < threshold) truth += HOUR;
    const f = forecastCrossing(points, threshold, {
      now: last,
      horizonMs: 30 * 24 * HOUR,
      seasonLength: 24,
    });
    expect(f.method).toBe('holt-winters');
    expect(Math.abs(f.crossesAt! - truth)).toBeLessThanOrEqual(2 * HOUR);
    const linearOnly = forecastCrossing(points, threshold, {
      now: last,
      horizonMs: 30 * 24 * HOUR,
    });
    expect(linearOnly.crossesAt! - truth).toBeGreaterThan(24 * HOUR); // the trend alone is days late
  });

  it('falls back to the linear trend when a season length is given but no cycle shows', () => {
    const f = forecastCrossing(
      series((h) => 10 + h, 4 * 24 * HOUR, HOUR),
      500,
      {
        now: T0 + 96 * HOUR,
        horizonMs: 30 * 24 * HOUR,
        seasonLength: 24,
      },
    );
    expect(f.method).toBe('linear');
    expect(f.crossesAt).toBeCloseTo(T0 + 490 * HOUR, -3);
  });

  it('expects no crossing of a flat series', () => {
    const r = noise(3);
    const f = forecastCrossing(
      series(() => 40 + 0.5 * r(), 6 * HOUR, 5 * 60_000),
      50,
      horizon,
    );
    expect([f.crossesAt, f.reason, f.withinHorizon]).toEqual([null, 'flat', false]);
  });

  it('expects no crossing of a decreasing series', () => {
    const f = forecastCrossing(
      series((h) => 40 - h, 6 * HOUR, 5 * 60_000),
      50,
      horizon,
    );
    expect([f.crossesAt, f.reason]).toEqual([null, 'decreasing']);
  });

  it('says when a crossing lies beyond the horizon', () => {
    const f = forecastCrossing(
      series((h) => 10 + 0.01 * h, 6 * HOUR, 5 * 60_000),
      50,
      {
        now,
        horizonMs: 24 * HOUR,
      },
    );
    expect(f.crossesAt).toBeCloseTo(T0 + 4000 * HOUR, -3);
    expect(f.withinHorizon).toBe(false);
  });

  it('refuses to guess from fewer than four points, and reports a threshold already reached', () => {
    expect(
      forecastCrossing(
        series((h) => h, 2 * HOUR, HOUR),
        50,
        horizon,
      ).reason,
    ).toBe('too few points');
    const above = forecastCrossing(
      series((h) => 60 + h, 6 * HOUR, HOUR),
      50,
      horizon,
    );
    expect([above.reason, above.crossesAt]).toEqual([
      'already at or above the threshold',
      T0 + 6 * HOUR,
    ]);
  });

  it('ignores non-finite values and unordered input', () => {
    const points = series((h) => 10 + 2 * h, 6 * HOUR, HOUR).reverse();
    points.push({ t: T0 + 3 * HOUR + 1, v: Number.NaN });
    expect(forecastCrossing(points, 50, horizon).crossesAt).toBeCloseTo(T0 + 20 * HOUR, -3);
  });
});
