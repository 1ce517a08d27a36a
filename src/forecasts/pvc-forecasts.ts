import type { Forecast } from './forecast';
import { objectForecasts } from './object-forecasts';
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
  const spec = {
    code: PVC_FULL_CODE,
    meaning: 'The volume fills up: writes start failing',
    scope: 'pvc' as const,
    kind: 'PersistentVolumeClaim',
    metric: 'usedBytes',
    limit: 'capacityBytes',
    noLimitReason: 'capacity unknown',
  };
  return objectForecasts(spec, byClaim, now, horizonMs);
}
