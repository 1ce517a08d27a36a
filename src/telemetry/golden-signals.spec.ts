import {
  latencyByKey,
  quantilesByKey,
  serviceNamespace,
  signalsOf,
  tallyRates,
} from './golden-signals';
import { EDGE_LABELS, graphQueries, latencyBuckets, latencyQuantile, requestRates } from './promql';

const svc = (name: string, ns: string, code: string, value: number, extra = {}) => ({
  metric: {
    destination_service: `${name}.${ns}.svc.cluster.local`,
    destination_service_name: name,
    response_code: code,
    request_protocol: 'http',
    ...extra,
  },
  value,
});

describe('golden signals from grouped rates', () => {
  it('splits 5xx and 4xx ratios and keeps rates per response code', () => {
    const tallies = tallyRates(
      [
        svc('payments', 'shop', '200', 18),
        svc('payments', 'shop', '503', 1.6),
        svc('payments', 'shop', '404', 0.4),
      ],
      'service',
      'inbound',
    );
    const s = signalsOf(tallies.get('shop/payments')?.tally, { p50: 10, p95: 40, p99: 80 });
    expect(s.requestsPerSecond).toBe(20);
    expect(s.errorRatio5xx).toBeCloseTo(0.08, 6);
    expect(s.errorRatio4xx).toBeCloseTo(0.02, 6);
    expect(s.responseCodes).toEqual({ '200': 18, '503': 1.6, '404': 0.4 });
    expect(s.protocols).toEqual(['http']);
  });

  it('gRPC failures come from grpc_response_status, apart from HTTP ratios', () => {
    const tallies = tallyRates(
      [
        svc('cart', 'shop', '200', 9, { request_protocol: 'grpc', grpc_response_status: '0' }),
        svc('cart', 'shop', '200', 1, { request_protocol: 'grpc', grpc_response_status: '14' }),
      ],
      'service',
      'inbound',
    );
    const s = signalsOf(tallies.get('shop/cart')?.tally, { p50: null, p95: null, p99: null });
    expect(s.grpcErrorRatio).toBeCloseTo(0.1, 6);
    expect(s.errorRatio5xx).toBe(0);
    expect(s.grpcCodes).toEqual({ '0': 9, '14': 1 });
  });

  it('workloads group by namespace and name; unknown workloads are no group', () => {
    const metric = (wl: string) => ({
      destination_workload: wl,
      destination_workload_namespace: 'shop',
      response_code: '200',
    });
    const tallies = tallyRates(
      [
        { metric: metric('checkout'), value: 3 },
        { metric: metric('unknown'), value: 5 },
      ],
      'workload',
      'inbound',
    );
    expect([...tallies.keys()]).toEqual(['shop/checkout']);
  });

  it('a quantile of no requests (NaN) is null, not a number', () => {
    const q = quantilesByKey(
      [svc('a', 'b', '', NaN), svc('c', 'b', '', 12.3456)],
      'service',
      'inbound',
    );
    expect(q.get('b/a')).toBeNull();
    expect(q.get('b/c')).toBe(12.346);
  });

  it('interpolates p50, p95 and p99 per service from one answer of rated buckets', () => {
    const bucket = (name: string, le: string, value: number) =>
      svc(name, 'shop', '', value, { le });
    const latency = latencyByKey(
      [
        bucket('payments', '25', 10),
        bucket('payments', '50', 20),
        bucket('payments', '100', 40),
        bucket('payments', '+Inf', 40),
        bucket('idle', '25', 0),
        bucket('idle', '+Inf', 0),
        svc('payments', 'shop', '', 5),
      ],
      'service',
      'inbound',
    );
    expect(latency.get('shop/payments')).toEqual({ p50: 50, p95: 95, p99: 99 });
    expect(latency.get('shop/idle')).toEqual({ p50: null, p95: null, p99: null });
  });

  it('reads the namespace of a Service from its FQDN', () => {
    expect(serviceNamespace('payments.shop.svc.cluster.local')).toBe('shop');
    expect(serviceNamespace('example.com')).toBeUndefined();
    expect(serviceNamespace(undefined)).toBeUndefined();
  });
});

describe('PromQL', () => {
  it('groups every service in one query per signal, never a query per service', () => {
    const q = requestRates('service', 'inbound', 300, 'shop');
    expect(q).toMatch(/^sum by \(destination_service, destination_service_name, response_code/);
    expect(q).toContain(
      'rate(istio_requests_total{reporter="source",source_workload!="unknown",destination_service=~',
    );
    expect(q).toContain('reporter="destination",source_workload="unknown"');
    expect(q).toContain('[300s]');
    expect(latencyBuckets('workload', 'outbound', 60)).toBe(
      'sum by (le, source_workload_namespace, source_workload) (rate(istio_request_duration_milliseconds_bucket{reporter="source"}[60s]))',
    );
    expect(latencyQuantile(0.95, 'workload', 'outbound', 60)).toBe(
      'histogram_quantile(0.95, sum by (le, source_workload_namespace, source_workload) (rate(istio_request_duration_milliseconds_bucket{reporter="source"}[60s])))',
    );
  });

  it('the graph is four queries grouped by the edge labels', () => {
    const q = graphQueries(120, 'shop');
    expect(Object.keys(q)).toEqual(['requests', 'mtls', 'p95', 'tcp']);
    for (const text of Object.values(q)) expect(text).toContain(EDGE_LABELS.join(', '));
    expect(q.requests).toContain('source_workload_namespace="shop"');
    expect(q.requests).toContain('destination_workload_namespace="shop"');
    expect(q.mtls).toContain(
      'connection_security_policy) (rate(istio_requests_total{reporter="destination",source_workload_namespace="shop"}',
    );
  });
});
