import { resolveSeries } from './graph-series';
import { graphAnswersOfNamespace, seriesByNamespace } from './namespace-views';
import type { Sample } from './prometheus-client';
import { buildGraph, GraphAnswers, graphOf } from './service-graph';

/**
 * A mesh with every shape the graph queries answer: callers in and out of the callee's namespace,
 * callers outside the mesh (unknown), Services with no workload that answered, Services outside
 * the cluster, gRPC and TCP edges, both mTLS policies, and p95s without requests (NaN).
 */
function generatedMesh(edges: number, namespaces: number): GraphAnswers {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const pick = (n: number) => Math.floor(random() * n);
  const requests: Sample[] = [];
  const mtls: Sample[] = [];
  const p95: Sample[] = [];
  const tcp: Sample[] = [];
  for (let i = 0; i < edges; i++) {
    const [from, to] = [pick(namespaces), pick(namespaces)];
    const unknownCaller = i % 17 === 0;
    const unanswered = i % 23 === 0;
    const metric: Record<string, string> = {
      source_workload_namespace: unknownCaller ? 'unknown' : `ns-${from}`,
      source_workload: unknownCaller ? 'unknown' : `app-${pick(40)}`,
      destination_service:
        i % 29 === 0 ? `api-${i}.example.com` : `svc-${i % 60}.ns-${to}.svc.cluster.local`,
      destination_service_name: `svc-${i % 60}`,
      destination_workload_namespace: unanswered ? 'unknown' : `ns-${to}`,
      destination_workload: unanswered ? 'unknown' : `svc-${i % 60}-v${1 + (i % 3)}`,
    };
    const protocol = i % 11 === 0 ? 'grpc' : i % 13 === 0 ? 'tcp' : 'http';
    const rate = 1 + pick(50);
    if (protocol === 'tcp') {
      tcp.push({ metric: { ...metric }, value: rate * 100 });
      continue;
    }
    const outcome = (code: string, value: number, grpc?: string) =>
      requests.push({
        metric: {
          ...metric,
          request_protocol: protocol,
          response_code: code,
          ...(grpc ? { grpc_response_status: grpc } : {}),
        },
        value,
      });
    outcome('200', rate, protocol === 'grpc' ? '0' : undefined);
    if (i % 5 === 0) outcome(protocol === 'grpc' ? '200' : '503', rate / 10, '14');
    if (i % 7 === 0) outcome('404', rate / 20);
    for (const policy of ['mutual_tls', 'none'])
      if (i % 3 !== 0 || policy === 'mutual_tls')
        mtls.push({ metric: { ...metric, connection_security_policy: policy }, value: rate / 2 });
    p95.push({ metric: { ...metric }, value: i % 19 === 0 ? NaN : 10 + pick(200) });
  }
  return { requests, mtls, p95, tcp };
}

const ANSWERS = generatedMesh(3000, 10);
/** The mesh's namespaces, the unknown callers' and two without a series. */
const NAMESPACES = ['unknown', ...Array.from({ length: 12 }, (_, i) => `ns-${i}`)];
const KINDS = ['requests', 'mtls', 'p95', 'tcp'] as const;

describe('the namespace index of a cluster-wide graph evaluation', () => {
  const series = resolveSeries(ANSWERS);
  const index = seriesByNamespace(series);

  it("holds for every namespace exactly the series today's filter keeps, in order", () => {
    for (const ns of NAMESPACES) {
      const filtered = graphAnswersOfNamespace(ANSWERS, ns);
      const bucket = index.get(ns);
      for (const kind of KINDS)
        expect((bucket?.[kind] ?? []).map(({ metric, value }) => ({ metric, value }))).toEqual(
          filtered[kind],
        );
    }
    expect(index.get('ns-3')!.requests.length).toBeGreaterThan(100);
    expect(index.has('ns-10')).toBe(false);
  });

  it("builds every namespace's graph identical to the graph of the filtered series", () => {
    for (const ns of NAMESPACES) {
      const bucket = index.get(ns);
      const cut = bucket ? graphOf(bucket) : { nodes: [], edges: [] };
      expect(cut).toEqual(buildGraph(graphAnswersOfNamespace(ANSWERS, ns)));
    }
    const unknown = graphOf(index.get('unknown')!);
    expect(unknown.edges.some((e) => e.source === 'unknown')).toBe(true);
    expect(unknown.edges.some((e) => e.kind === 'route')).toBe(true);
  });

  it("puts a series in its caller's namespace and its callee's, never twice in one", () => {
    const placed = new Map<object, number>();
    for (const bucket of index.values())
      for (const kind of KINDS)
        for (const s of bucket[kind]) placed.set(s, (placed.get(s) ?? 0) + 1);
    const within = series.requests.filter(
      (s) => s.metric.source_workload_namespace === s.metric.destination_workload_namespace,
    );
    expect(within.length).toBeGreaterThan(0);
    for (const s of within) expect(placed.get(s)).toBe(1);
    const across = series.requests.filter((s) => !within.includes(s));
    for (const s of across) expect(placed.get(s)).toBe(2);
  });
});

describe('a graph built from resolved series', () => {
  const graph = buildGraph(ANSWERS);
  const byText = new Intl.Collator().compare;

  it("comes in the collator's order: nodes by id, edges by source then target", () => {
    const ids = graph.nodes.map((n) => n.id);
    expect(ids).toEqual([...ids].sort(byText));
    const pairs = graph.edges.map((e) => [e.source, e.target]);
    expect(pairs).toEqual([...pairs].sort((a, b) => byText(a[0], b[0]) || byText(a[1], b[1])));
    expect(graph.edges.length).toBeGreaterThan(3000);
  });

  it('has as nodes exactly the ends of its edges', () => {
    const ends = new Set(graph.edges.flatMap((e) => [e.source, e.target]));
    expect(new Set(graph.nodes.map((n) => n.id))).toEqual(ends);
    expect(graph.nodes).toHaveLength(ends.size);
  });
});
