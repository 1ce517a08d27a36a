import type { HpaRecord } from '../cluster-state/records/policy';
import type { ScopeValues } from './history-row';

/** HPA rows kept per cluster and tick: the ones closest to their maximum first. */
export const MAX_HPA_ROWS = 500;

/**
 * One entry per HorizontalPodAutoscaler, named `<namespace>/<name>`: its current, desired, min
 * and max replicas as the HPA's status and spec give them. Bounded to the `limit` HPAs whose
 * desired replicas are nearest their maximum (the ones a forecast may warn about).
 */
export function hpaValues(hpas: readonly HpaRecord[], limit = MAX_HPA_ROWS): ScopeValues[] {
  const share = (h: HpaRecord) => (h.maxReplicas > 0 ? h.desiredReplicas / h.maxReplicas : 0);
  return [...hpas]
    .sort(
      (a, b) =>
        share(b) - share(a) || `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
    )
    .slice(0, limit)
    .map((h) => ({
      name: `${h.namespace}/${h.name}`,
      values: {
        currentReplicas: h.currentReplicas,
        desiredReplicas: h.desiredReplicas,
        minReplicas: h.minReplicas,
        maxReplicas: h.maxReplicas,
      },
    }));
}
