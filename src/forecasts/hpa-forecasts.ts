import type { Forecast } from './forecast';
import { objectForecasts } from './object-forecasts';
import type { Sample } from './saturation-forecasts';

export const HPA_MAX_CODE = 'FORECAST_HPA_MAX_REPLICAS';

/**
 * For each HPA with history: when its desired replicas reach maxReplicas (as of the latest
 * sample), after which load grows without replicas to take it. An HPA already at its maximum
 * answers "already at or above the threshold" (the HPA_AT_MAX_REPLICAS finding covers it now).
 * Pure.
 */
export function hpaForecasts(
  byHpa: ReadonlyMap<string, readonly Sample[]>,
  now: number,
  horizonMs: number,
): Forecast[] {
  const spec = {
    code: HPA_MAX_CODE,
    meaning: 'Desired replicas reach the HPA maxReplicas: more load gets no more pods',
    scope: 'hpa' as const,
    kind: 'HorizontalPodAutoscaler',
    metric: 'desiredReplicas',
    limit: 'maxReplicas',
    noLimitReason: 'maxReplicas unknown',
  };
  return objectForecasts(spec, byHpa, now, horizonMs);
}
