import type { Forecast } from './forecast';
import { forecastCrossing, noCrossing } from './methods/crossing-forecast';
import { basisOf, Sample } from './samples';

export const HPA_MAX_CODE = 'FORECAST_HPA_MAX_REPLICAS';

/**
 * For each HPA with history (keyed `<namespace>/<name>`): when its desired replicas reach
 * maxReplicas (as of the latest sample), after which load grows without replicas to take it. An
 * HPA already at its maximum answers "already at or above the threshold" (the HPA_AT_MAX_REPLICAS
 * finding covers it now). Pure.
 */
export function hpaForecasts(
  byHpa: ReadonlyMap<string, readonly Sample[]>,
  now: number,
  horizonMs: number,
): Forecast[] {
  return [...byHpa.entries()].map(([key, samples]) => {
    const [namespace, ...name] = key.split('/');
    const latest = samples.length ? samples[samples.length - 1].values : {};
    const max = latest.maxReplicas || null;
    const basis = basisOf(samples, 'desiredReplicas');
    return {
      code: HPA_MAX_CODE,
      meaning: 'Desired replicas reach the HPA maxReplicas: more load gets no more pods',
      metric: 'desiredReplicas',
      scope: 'hpa',
      namespace,
      name: `HorizontalPodAutoscaler/${name.join('/')}`,
      threshold: max,
      basis,
      ...(max === null
        ? noCrossing(basis.length, 'maxReplicas unknown')
        : forecastCrossing(basis, max, { now, horizonMs })),
    };
  });
}
