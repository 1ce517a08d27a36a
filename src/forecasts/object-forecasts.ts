import type { Forecast, ForecastScope } from './forecast';
import { CrossingForecast, forecastCrossing } from './methods/crossing-forecast';
import type { Point } from './methods/series';
import type { Sample } from './saturation-forecasts';

/** No crossing can be forecast without a threshold: says why, with how many points there were. */
export function noThreshold(points: number, reason: string): CrossingForecast {
  return {
    method: null,
    crossesAt: null,
    withinHorizon: false,
    confidence: 0,
    current: null,
    slopePerHour: null,
    points,
    reason,
  };
}

/** The points of one metric in the samples (oldest first), skipping samples without it. */
export function basisOf(samples: readonly Sample[], metric: string): Point[] {
  return samples.flatMap((s) => {
    const v = s.values[metric];
    return typeof v === 'number' ? [{ t: Date.parse(s.at), v }] : [];
  });
}

/** One per-object forecast: a metric of each object's history rising to a limit it carries. */
export interface ObjectForecastSpec {
  code: string;
  meaning: string;
  scope: ForecastScope;
  /** The kind named in the forecast's `name` (`<Kind>/<name>`). */
  kind: string;
  /** The history value forecast. */
  metric: string;
  /** The history value holding the limit, read from the latest sample. */
  limit: string;
  /** Why there is no forecast when the latest sample has no limit. */
  noLimitReason: string;
}

/** The spec's forecast for each object with history (keyed `<namespace>/<name>`); pure. */
export function objectForecasts(
  spec: ObjectForecastSpec,
  byObject: ReadonlyMap<string, readonly Sample[]>,
  now: number,
  horizonMs: number,
): Forecast[] {
  return [...byObject.entries()].map(([key, samples]) => {
    const [namespace, ...name] = key.split('/');
    const latest = samples.length ? samples[samples.length - 1].values : {};
    const limit = latest[spec.limit] || null;
    const basis = basisOf(samples, spec.metric);
    return {
      code: spec.code,
      meaning: spec.meaning,
      metric: spec.metric,
      scope: spec.scope,
      namespace,
      name: `${spec.kind}/${name.join('/')}`,
      threshold: limit,
      basis,
      ...(limit === null
        ? noThreshold(basis.length, spec.noLimitReason)
        : forecastCrossing(basis, limit, { now, horizonMs })),
    };
  });
}
