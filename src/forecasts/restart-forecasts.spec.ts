import { restartForecasts, restartRates } from './restart-forecasts';
import type { Sample } from './samples';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 11, 1);

/** Samples every 10 minutes of a cumulative restart count. */
const samples = (counts: Array<number | null>): Sample[] =>
  counts.map((c, i) => ({
    at: new Date(T0 + i * 10 * MIN).toISOString(),
    values: c === null ? ({} as Record<string, number | null>) : { restarts: c },
  }));

describe('restartRates', () => {
  it('turns a cumulative count into restarts per hour at the later sample', () => {
    expect(restartRates(samples([0, 1, 3]))).toEqual([
      { t: T0 + 10 * MIN, v: 6 },
      { t: T0 + 20 * MIN, v: 12 },
    ]);
  });

  it('counts a fall (a restarted pod replaced) as no new restarts and spans a missing sample', () => {
    expect(restartRates(samples([10, 2, null, 4])).map((p) => p.v)).toEqual([0, 6]);
  });
});

describe('restartForecasts', () => {
  const horizon = 7 * 24 * HOUR;

  it('forecasts when a rising restart rate reaches the threshold', () => {
    // Restarts 1, 2, 3, 4, 5 per 10 min: the rate rises 6/h every 10 min, 6 → 30 per hour.
    const counts = [0, 1, 3, 6, 10, 15];
    const now = T0 + 50 * MIN;
    const [f] = restartForecasts(
      new Map([['shop/Deployment/api', samples(counts)]]),
      60,
      now,
      horizon,
    );
    expect(f).toMatchObject({
      code: 'FORECAST_RESTART_RATE',
      scope: 'workload',
      namespace: 'shop',
      name: 'Deployment/api',
      metric: 'restartsPerHour',
      threshold: 60,
      method: 'linear',
      withinHorizon: true,
    });
    expect(f.basis).toHaveLength(5);
    // The line through (10 min, 6) … (50 min, 30) reaches 60 at 100 min.
    expect(f.crossesAt).toBeCloseTo(T0 + 100 * MIN, -3);
    expect(f.confidence).toBeGreaterThan(0.4);
  });

  it('expects no crossing for a steady restart rate', () => {
    const [f] = restartForecasts(
      new Map([['shop/Deployment/api', samples([0, 2, 4, 6, 8, 10])]]),
      60,
      T0 + HOUR,
      horizon,
    );
    expect([f.crossesAt, f.reason]).toEqual([null, 'flat']);
  });

  it('says the threshold is already reached for a workload restarting faster than it', () => {
    const [f] = restartForecasts(
      new Map([['shop/Deployment/api', samples([0, 20, 40, 60, 80, 100])]]),
      60,
      T0 + HOUR,
      horizon,
    );
    expect(f.reason).toBe('already at or above the threshold');
  });
});
