import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';
import { unavailableApi } from './hpa-scaling';

const MAX_NAMED = 5;

/**
 * A metrics API (metrics-server, a custom or external metrics adapter) that autoscalers cannot
 * fetch from: one finding on its APIService, naming the HPAs it leaves unable to scale, rather than
 * one per HPA; the thing to fix is the API, not each autoscaler.
 */
export function metricsApis(input: DetectorInput): RawFinding[] {
  const byApi = new Map<string, string[]>();
  for (const h of input.list('horizontalpodautoscalers')) {
    const api = unavailableApi(h);
    if (!api) continue;
    const hpas = byApi.get(api) ?? [];
    hpas.push(`${h.namespace}/${h.name}`);
    byApi.set(api, hpas);
  }
  return [...byApi].map(([api, hpas]) => {
    const sorted = hpas.sort();
    return {
      code: 'HPA_METRICS_API_UNAVAILABLE',
      severity: 'warning',
      object: { group: 'apiregistration.k8s.io', kind: 'APIService', namespace: '', name: api },
      message: `${sorted.length} autoscaler(s) cannot fetch their metrics from ${api} (not served, or failing): they do not scale.`,
      fields: {
        apiService: api,
        horizontalPodAutoscalers: sorted.slice(0, MAX_NAMED),
        count: sorted.length,
      },
      suggestion:
        api === 'v1beta1.metrics.k8s.io'
          ? 'Install metrics-server (or fix it: kubectl get apiservice v1beta1.metrics.k8s.io shows why it is unavailable).'
          : `Install or fix the metrics adapter behind ${api} (kubectl get apiservice ${api}).`,
    };
  });
}
