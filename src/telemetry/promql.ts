/**
 * Every PromQL query CloudPilot sends for its own views, built here and nowhere else, so
 * docs/telemetry.md can list them. Each view sends a fixed number of queries whatever the number
 * of services: series are grouped with `sum by`, never asked for one service at a time.
 * Labels are Istio's standard metrics as Envoy reports them:
 * https://istio.io/latest/docs/reference/config/metrics/
 */

/** Label values are DNS labels checked by the input vocabulary; quoted here all the same. */
function quote(value: string): string {
  return JSON.stringify(value);
}

/** Matchers joined into a selector body (without braces). */
export function matchers(pairs: Array<[string, '=' | '!=' | '=~', string]>): string {
  return pairs.map(([label, op, value]) => `${label}${op}${quote(value)}`).join(',');
}

export type Scope = 'service' | 'workload';
export type Direction = 'inbound' | 'outbound';

/** The labels a view groups by: the service or workload it describes. */
export const GROUP_LABELS: Record<Scope, Record<Direction, string[]>> = {
  service: { inbound: ['destination_service', 'destination_service_name'], outbound: [] },
  workload: {
    inbound: ['destination_workload_namespace', 'destination_workload'],
    outbound: ['source_workload_namespace', 'source_workload'],
  },
};

const OUTCOME_LABELS = ['response_code', 'grpc_response_status', 'request_protocol'];

/**
 * Which reporter's series a view reads, so no request is counted twice: Kiali's rule. Inbound to a
 * workload: the destination's sidecar. Services and edges: the caller's sidecar (it also sees
 * calls to a Service with no ready endpoint), and the destination's for callers outside the mesh
 * (source_workload="unknown", which report nothing themselves). Outbound: the caller's.
 */
function reported(metric: string, scope: Scope, direction: Direction, extra: string): string[] {
  const sel = (body: string) => `${metric}{${[body, extra].filter(Boolean).join(',')}}`;
  if (direction === 'outbound' || scope === 'workload')
    return [sel(`reporter="${direction === 'outbound' ? 'source' : 'destination'}"`)];
  return [
    sel('reporter="source",source_workload!="unknown"'),
    sel('reporter="destination",source_workload="unknown"'),
  ];
}

/** Matchers that keep one namespace of the view (undefined: the whole cluster). */
export function namespaceFilter(scope: Scope, direction: Direction, namespace?: string): string {
  if (!namespace) return '';
  if (scope === 'service')
    return matchers([['destination_service', '=~', `[^.]+\\.${namespace}\\..*`]]);
  const label =
    direction === 'inbound' ? 'destination_workload_namespace' : 'source_workload_namespace';
  return matchers([[label, '=', namespace]]);
}

/** rate() of each selector, unioned: the reporter label keeps the sides apart, so none is lost. */
function rateOf(series: string[], windowSeconds: number): string {
  return series.map((s) => `rate(${s}[${windowSeconds}s])`).join(' or ');
}

/** The view's series of `metric` (one namespace, or all), rated over the window and summed by `by`. */
function summedRate(
  metric: string,
  by: string[],
  scope: Scope,
  direction: Direction,
  windowSeconds: number,
  namespace?: string,
): string {
  const series = reported(metric, scope, direction, namespaceFilter(scope, direction, namespace));
  return `sum by (${by.join(', ')}) (${rateOf(series, windowSeconds)})`;
}

/** Request rate per group and outcome (code, gRPC status, protocol): one query. */
export function requestRates(
  scope: Scope,
  direction: Direction,
  windowSeconds: number,
  namespace?: string,
): string {
  const by = [...GROUP_LABELS[scope][direction], ...OUTCOME_LABELS];
  return summedRate('istio_requests_total', by, scope, direction, windowSeconds, namespace);
}

/**
 * The request-duration histogram's buckets per group, rated over the window: one query from which
 * CloudPilot derives p50, p95 and p99 (histogram-quantile.ts). Rating the bucket series is what
 * Prometheus spends its time on, so they are touched once per view, not once per quantile.
 */
export function latencyBuckets(
  scope: Scope,
  direction: Direction,
  windowSeconds: number,
  namespace?: string,
): string {
  const by = ['le', ...GROUP_LABELS[scope][direction]];
  const metric = 'istio_request_duration_milliseconds_bucket';
  return summedRate(metric, by, scope, direction, windowSeconds, namespace);
}

/** One latency quantile per group, computed by Prometheus: for a view that needs only one. */
export function latencyQuantile(
  quantile: number,
  scope: Scope,
  direction: Direction,
  windowSeconds: number,
  namespace?: string,
): string {
  return `histogram_quantile(${quantile}, ${latencyBuckets(scope, direction, windowSeconds, namespace)})`;
}

/** The labels of one graph edge: caller workload → Service → destination workload. */
export const EDGE_LABELS = [
  'source_workload_namespace',
  'source_workload',
  'destination_service',
  'destination_service_name',
  'destination_workload_namespace',
  'destination_workload',
];

/** Edge selector for a namespace: edges that leave or enter it. */
function edgeFilter(namespace: string | undefined, side: 'source' | 'destination'): string {
  if (!namespace) return '';
  return matchers([[`${side}_workload_namespace`, '=', namespace]]);
}

function edgeSeries(metric: string, namespace: string | undefined, extra = ''): string[] {
  // Edges of a namespace: those whose caller is in it, and those whose callee is; `or` unions them.
  const sides: Array<'source' | 'destination' | undefined> = namespace
    ? ['source', 'destination']
    : [undefined];
  return sides.flatMap((side) =>
    reported(
      metric,
      'service',
      'inbound',
      [side ? edgeFilter(namespace, side) : '', extra].filter(Boolean).join(','),
    ),
  );
}

/** Destination-reported request series of the edges that leave or enter a namespace, or of all. */
function destinationSeries(namespace: string | undefined): string[] {
  const sides: Array<'source' | 'destination' | undefined> = namespace
    ? ['source', 'destination']
    : [undefined];
  return sides.map((side) => {
    const scope = side ? `,${edgeFilter(namespace, side)}` : '';
    return `istio_requests_total{reporter="destination"${scope}}`;
  });
}

/** The service graph's queries: rates by outcome, mTLS rates, p95 and TCP bytes, per edge. */
export function graphQueries(windowSeconds: number, namespace?: string) {
  const rate = (series: string[]) => rateOf(series, windowSeconds);
  const edges = EDGE_LABELS.join(', ');
  return {
    requests: `sum by (${edges}, request_protocol, response_code, grpc_response_status) (${rate(edgeSeries('istio_requests_total', namespace))})`,
    // Only the server's sidecar knows whether the connection was mutual TLS (the client reports
    // "unknown"): the destination's rates per policy give each edge's share.
    mtls: `sum by (${edges}, connection_security_policy) (${rate(destinationSeries(namespace))})`,
    p95: `histogram_quantile(0.95, sum by (le, ${edges}) (${rate(edgeSeries('istio_request_duration_milliseconds_bucket', namespace))}))`,
    tcp: `sum by (${edges}) (${rate(edgeSeries('istio_tcp_sent_bytes_total', namespace))})`,
  };
}

/** cAdvisor's app containers: container="" is the pod cgroup and "POD" the pause container. */
const APP_CONTAINERS = 'container!="",container!="POD"';
const CONTAINER = 'namespace, pod, container';

/**
 * The usage forecasts' queries (docs/forecasts.md): per pod, put on nodes from the live cache
 * (not every scrape config adds a node label), and per container with a memory limit. Sent as
 * range queries except `containerLimits`; aggregated `by`, never one query per workload.
 */
export function usageForecastQueries(rateSeconds: number) {
  const workingSet = `max by (${CONTAINER}) (container_memory_working_set_bytes{${APP_CONTAINERS}})`;
  const limits = `max by (${CONTAINER}) (container_spec_memory_limit_bytes{${APP_CONTAINERS}} > 0)`;
  return {
    podCpu: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${APP_CONTAINERS}}[${rateSeconds}s]))`,
    podMemory: `sum by (namespace, pod) (container_memory_working_set_bytes{${APP_CONTAINERS}})`,
    /** The working set of the containers that have a memory limit (the others cannot be OOM-killed by it). */
    containerMemory: `${workingSet} and on (${CONTAINER}) ${limits}`,
    containerLimits: limits,
  };
}
