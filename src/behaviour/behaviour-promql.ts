import { latencyQuantile, requestRates } from '../telemetry/promql';

/** The windows one evaluation reads, in seconds (behaviour.* config). */
export interface BehaviourWindows {
  windowSeconds: number;
  baselineOffsetSeconds: number;
  volumeWindowSeconds: number;
}

/** A container throttled in more than this share of its CFS periods is reported. */
export const THROTTLE_RATIO = 0.25;
/** A container whose working set is above this share of its memory limit is reported. */
export const MEMORY_LIMIT_RATIO = 0.9;

const WORKLOAD = 'destination_workload_namespace, destination_workload';
const CONTAINER = 'namespace, pod, container';
const APP_CONTAINERS = 'container!="",container!="POD"';
const PVC = 'namespace, persistentvolumeclaim';

/**
 * Every PromQL query of one behaviour evaluation: a fixed set, aggregated `by (...)`, whatever
 * the number of services, containers and volumes. Baselines are the same expressions `offset`
 * back, so they come from Prometheus and survive a restart of CloudPilot. Listed in
 * docs/diagnostics.md ("Behaviour findings").
 */
export function behaviourQueries(w: BehaviourWindows) {
  const win = `${w.windowSeconds}s`;
  const back = `offset ${w.baselineOffsetSeconds}s`;
  const inbound = 'istio_requests_total{reporter="destination"}';
  const buckets = 'istio_request_duration_milliseconds_bucket{reporter="destination"}';
  return {
    /** Inbound rates per workload and outcome (the telemetry view's own query). */
    requests: requestRates('workload', 'inbound', w.windowSeconds),
    baselineRequests: `sum by (${WORKLOAD}) (rate(${inbound}[${win}] ${back}))`,
    p95: latencyQuantile(0.95, 'workload', 'inbound', w.windowSeconds),
    baselineP95: `histogram_quantile(0.95, sum by (le, ${WORKLOAD}) (rate(${buckets}[${win}] ${back})))`,
    throttling:
      `sum by (${CONTAINER}) (rate(container_cpu_cfs_throttled_periods_total{${APP_CONTAINERS}}[${win}]))` +
      ` / sum by (${CONTAINER}) (rate(container_cpu_cfs_periods_total{${APP_CONTAINERS}}[${win}]) > 0)` +
      ` > ${THROTTLE_RATIO}`,
    memory:
      `max by (${CONTAINER}) (container_memory_working_set_bytes{${APP_CONTAINERS}})` +
      ` / max by (${CONTAINER}) (container_spec_memory_limit_bytes{${APP_CONTAINERS}} > 0)` +
      ` > ${MEMORY_LIMIT_RATIO}`,
    /** Seconds until each growing container's working set reaches its limit, at its trend. */
    memoryToLimit:
      `(max by (${CONTAINER}) (container_spec_memory_limit_bytes{${APP_CONTAINERS}} > 0)` +
      ` - max by (${CONTAINER}) (container_memory_working_set_bytes{${APP_CONTAINERS}}))` +
      ` / max by (${CONTAINER}) (deriv(container_memory_working_set_bytes{${APP_CONTAINERS}}[${w.volumeWindowSeconds}s]) > 0)`,
    volumeSlope: `max by (${PVC}) (deriv(kubelet_volume_stats_used_bytes[${w.volumeWindowSeconds}s])) > 0`,
    volumeUsed: `max by (${PVC}) (kubelet_volume_stats_used_bytes)`,
    volumeCapacity: `max by (${PVC}) (kubelet_volume_stats_capacity_bytes)`,
  };
}

export type BehaviourQueryName = keyof ReturnType<typeof behaviourQueries>;
