import { graphAnswersOfNamespace, itemsOfNamespace } from './namespace-views';
import type { Sample } from './prometheus-client';
import { buildGraph } from './service-graph';
import { SignalsService } from './signals.service';
import type { Queries } from './telemetry-runner';

/**
 * The oracle is what Prometheus would select with the namespace's own queries (promql.ts): their
 * matchers written out here as predicates on the grouped series, applied to the same series.
 */
type Series = Record<string, string>;

function series(
  from: [string, string],
  to: [string, string],
  service = `${to[1]}.${to[0]}.svc.cluster.local`,
): Series {
  return {
    source_workload_namespace: from[0],
    source_workload: from[1],
    destination_workload_namespace: to[0],
    destination_workload: to[1],
    destination_service: service,
    destination_service_name: to[1],
    request_protocol: 'http',
  };
}

const CALLS: Array<[Series, number, number]> = [
  // [series, requests/s, of which 5xx]
  [series(['web', 'frontend'], ['shop', 'payments']), 10, 1],
  [series(['batch', 'jobs'], ['shop', 'payments']), 5, 0],
  [series(['shop', 'checkout'], ['shop', 'inventory']), 8, 2],
  [series(['web', 'frontend'], ['shop2', 'cart']), 4, 0],
  [series(['shop', 'checkout'], ['shop', 'legacy'], 'legacy.shop.example.com'), 3, 0],
];
const LE = ['10', '50', '100', '+Inf'];

/** The grouped answers over CALLS: request rates by code, and duration buckets. */
function answers() {
  const rates: Sample[] = [];
  const buckets: Sample[] = [];
  for (const [s, rps, failing] of CALLS) {
    rates.push({ metric: { ...s, response_code: '200' }, value: rps - failing });
    if (failing) rates.push({ metric: { ...s, response_code: '503' }, value: failing });
    LE.forEach((le, i) =>
      buckets.push({ metric: { ...s, le }, value: (rps * (i + 1)) / LE.length }),
    );
  }
  return { rates, buckets };
}

/**
 * What Prometheus keeps of the series for a query's namespace matchers (promql.ts writes them):
 * `label="ns"` on a workload namespace, `destination_service=~"[^.]+\\.ns\\..*"` (fully anchored).
 */
function selected(promql: string): (s: Sample) => boolean {
  const tests: Array<(m: Series) => boolean> = [];
  for (const label of ['destination_workload_namespace', 'source_workload_namespace']) {
    const value = new RegExp(`${label}="([^"]+)"`).exec(promql)?.[1];
    if (value) tests.push((m) => m[label] === value);
  }
  const service = /destination_service=~"\[\^\.\]\+\\\\\.([a-z0-9-]+)\\\\\./.exec(promql)?.[1];
  if (service)
    tests.push((m) => new RegExp(`^[^.]+\\.${service}\\..*$`).test(m.destination_service));
  return (s) => tests.every((t) => t(s.metric));
}

/** Prometheus over CALLS: each query answered with the series its matchers select. */
function prometheus(): Queries {
  const { rates, buckets } = answers();
  return {
    instant: async (promql) => rates.filter(selected(promql)),
    histogram: async (promql) => buckets.filter(selected(promql)),
    range: async () => [],
  };
}

const signals = new SignalsService(
  undefined as never,
  { config: { telemetry: { healthOverrides: [] } } } as never,
  undefined as never,
);

describe("a namespace's views cut from the cluster-wide ones", () => {
  it("services: the namespace's items of the cluster-wide list equal its own query's", async () => {
    const whole = await signals.collect(prometheus(), 'service', 60);
    const own = await signals.collect(prometheus(), 'service', 60, 'shop');
    expect(own.map((i) => i.name)).toEqual(['inventory', 'payments']);
    expect(itemsOfNamespace(whole, 'shop')).toEqual(own);
    expect(itemsOfNamespace(whole, 'shop')[1].inbound.requestsPerSecond).toBe(15);
  });

  it('workloads: inbound and outbound each of the namespace, as its own queries select them', async () => {
    const whole = await signals.collect(prometheus(), 'workload', 60);
    const own = await signals.collect(prometheus(), 'workload', 60, 'shop');
    const cut = itemsOfNamespace(whole, 'shop');
    expect(cut.map((i) => i.name).sort()).toEqual(['checkout', 'inventory', 'legacy', 'payments']);
    expect(cut).toEqual(own);
    expect(cut.find((i) => i.name === 'checkout')?.outbound?.requestsPerSecond).toBe(11);
  });

  it("the graph is cut from the series, not the built graph: a route counts only the namespace's callers", () => {
    const { rates } = answers();
    const all = { requests: rates, mtls: [], p95: [], tcp: [] };
    const web = (s: Series) =>
      s.source_workload_namespace === 'web' || s.destination_workload_namespace === 'web';
    const own = { requests: rates.filter((s) => web(s.metric)), mtls: [], p95: [], tcp: [] };
    const cut = buildGraph(graphAnswersOfNamespace(all, 'web'));
    expect(cut).toEqual(buildGraph(own));
    const route = (g: ReturnType<typeof buildGraph>) =>
      g.edges.find((e) => e.source === 'service:shop/payments' && e.kind === 'route');
    expect(route(cut)?.requestsPerSecond).toBe(10);
    expect(route(buildGraph(all))?.requestsPerSecond).toBe(15);
    expect(cut.nodes.map((n) => n.id)).not.toContain('workload:batch/jobs');
  });
});
