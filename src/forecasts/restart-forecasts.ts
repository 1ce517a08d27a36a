import type { Forecast } from './forecast';
import { forecastCrossing } from './methods/crossing-forecast';
import type { Point } from './methods/series';
import { basisOf, Sample } from './samples';

const HOUR = 3_600_000;

export const RESTART_RATE_CODE = 'FORECAST_RESTART_RATE';

/**
 * The restart rate (restarts per hour) between consecutive samples of a workload's restart count,
 * placed at the later sample. The count is a sum over the current pods, so it falls when a
 * restarted pod is replaced: a fall counts as no new restarts, never as negative ones (a
 * replaced pod's restarts since the previous sample are missed, so the rate errs low).
 */
export function restartRates(samples: readonly Sample[]): Point[] {
  const points = basisOf(samples, 'restarts');
  return points.slice(1).flatMap((p, i) => {
    const before = points[i];
    const dt = p.t - before.t;
    return dt > 0 ? [{ t: p.t, v: (Math.max(0, p.v - before.v) / dt) * HOUR }] : [];
  });
}

/**
 * For each workload with restart history: when its restart rate reaches `ratePerHour` (getting
 * worse before it crash-loops), by the same crossing methods as the other forecasts. Pure.
 */
export function restartForecasts(
  byWorkload: ReadonlyMap<string, readonly Sample[]>,
  ratePerHour: number,
  now: number,
  horizonMs: number,
): Forecast[] {
  return [...byWorkload.entries()].map(([key, samples]) => {
    const [namespace, ...rest] = key.split('/');
    const basis = restartRates(samples);
    return {
      code: RESTART_RATE_CODE,
      meaning: `Restarts reach ${ratePerHour} an hour: the workload is heading for a crash loop`,
      metric: 'restartsPerHour',
      scope: 'workload',
      namespace,
      name: rest.join('/'),
      threshold: ratePerHour,
      basis,
      ...forecastCrossing(basis, ratePerHour, { now, horizonMs }),
    };
  });
}
