import type { Forecast } from './forecast';
import { forecastCrossing } from './methods/crossing-forecast';
import type { Sample } from './saturation-forecasts';

export const PVC_FULL_CODE = 'FORECAST_PVC_FULL';

/**
 * For each PersistentVolumeClaim with usage samples (`usedBytes`, `capacityBytes`, keyed
 * `<namespace>/<claim>`): when the used bytes reach the volume's capacity. Pure.
 *
 * The usage must come from somewhere that measures it: the kubelet's volume stats
 * (`kubelet_volume_stats_used_bytes`, or `/stats/summary` through the nodes/proxy subresource).
 * CloudPilot has no adapter for those yet, so no history feeds this today; a claim's requested
 * size alone says nothing about how full it is. See docs/forecasts.md.
 */
export function pvcForecasts(
  byClaim: ReadonlyMap<string, readonly Sample[]>,
  now: number,
  horizonMs: number,
): Forecast[] {
  return [...byClaim.entries()].map(([key, samples]) => {
    const [namespace, ...name] = key.split('/');
    const latest = samples.length ? samples[samples.length - 1].values : {};
    const capacity = latest.capacityBytes ?? null;
    const basis = samples.flatMap((s) => {
      const v = s.values.usedBytes;
      return typeof v === 'number' ? [{ t: Date.parse(s.at), v }] : [];
    });
    const common = {
      code: PVC_FULL_CODE,
      meaning: 'The volume fills up: writes start failing',
      metric: 'usedBytes',
      scope: 'pvc' as const,
      namespace,
      name: `PersistentVolumeClaim/${name.join('/')}`,
      threshold: capacity,
      basis,
    };
    if (!capacity) {
      return {
        ...common,
        method: null,
        crossesAt: null,
        withinHorizon: false,
        confidence: 0,
        current: null,
        slopePerHour: null,
        points: basis.length,
        reason: 'capacity unknown',
      };
    }
    return { ...common, ...forecastCrossing(basis, capacity, { now, horizonMs }) };
  });
}
