import { buildGraph, toMermaid } from './service-graph';

const edge = (src: string, svc: string, dst: string, extra: Record<string, string> = {}) => ({
  source_workload_namespace: src === 'unknown' ? 'unknown' : 'shop',
  source_workload: src,
  destination_service: `${svc}.shop.svc.cluster.local`,
  destination_service_name: svc,
  destination_workload_namespace: dst === 'unknown' ? 'unknown' : 'shop',
  destination_workload: dst,
  request_protocol: 'http',
  ...extra,
});

describe('service graph', () => {
  const graph = buildGraph({
    requests: [
      { metric: edge('checkout', 'payments', 'payments', { response_code: '200' }), value: 18.4 },
      { metric: edge('checkout', 'payments', 'payments', { response_code: '503' }), value: 1.6 },
      { metric: edge('unknown', 'frontend', 'frontend', { response_code: '200' }), value: 10 },
      { metric: edge('frontend', 'ghost', 'unknown', { response_code: '503' }), value: 2 },
    ],
    mtls: [
      {
        metric: edge('checkout', 'payments', 'payments', {
          connection_security_policy: 'mutual_tls',
        }),
        value: 10,
      },
      {
        metric: edge('checkout', 'payments', 'payments', { connection_security_policy: 'none' }),
        value: 10,
      },
    ],
    p95: [
      { metric: edge('checkout', 'payments', 'payments'), value: 80 },
      { metric: edge('unknown', 'frontend', 'frontend'), value: NaN },
    ],
    tcp: [{ metric: edge('frontend', 'db', 'db', { request_protocol: 'tcp' }), value: 512 }],
  });

  it('has a call edge per caller and Service, and a route edge to the workload that answered', () => {
    expect(graph.edges.map((e) => `${e.kind} ${e.source} -> ${e.target}`)).toEqual([
      'route service:shop/db -> workload:shop/db',
      'route service:shop/frontend -> workload:shop/frontend',
      'route service:shop/payments -> workload:shop/payments',
      'call unknown -> service:shop/frontend',
      'call workload:shop/checkout -> service:shop/payments',
      'call workload:shop/frontend -> service:shop/db',
      'call workload:shop/frontend -> service:shop/ghost',
    ]);
  });

  it('carries rate, error %, p95, protocol and mTLS share per edge', () => {
    const pay = graph.edges.find((e) => e.source === 'workload:shop/checkout')!;
    expect(pay).toMatchObject({
      requestsPerSecond: 20,
      errorPercent: 8,
      p95Ms: 80,
      protocol: 'http',
      mtlsPercent: 50,
    });
    const ghost = graph.edges.find((e) => e.target === 'service:shop/ghost')!;
    expect(ghost.errorPercent).toBe(100);
    const db = graph.edges.find((e) => e.target === 'service:shop/db')!;
    expect(db).toMatchObject({ protocol: 'tcp', tcpBytesPerSecond: 512, requestsPerSecond: 0 });
    expect(graph.edges.find((e) => e.source === 'unknown')!.p95Ms).toBeNull();
  });

  it('nodes are the workloads, Services and the unknown caller the edges use', () => {
    expect(graph.nodes.filter((n) => n.type === 'unknown').map((n) => n.id)).toEqual(['unknown']);
    expect(graph.nodes.map((n) => n.id)).not.toContain('workload:unknown/unknown');
  });

  it('renders a Mermaid flowchart with failing edges in red', () => {
    const text = toMermaid(graph);
    expect(text.startsWith('flowchart LR\n')).toBe(true);
    expect(text).toContain('-->|"20 rps, 8% err"|');
    expect(text).toMatch(/linkStyle [\d,]+ stroke:#d33/);
    expect(text).toContain('{{"payments<br/><small>shop</small>"}}');
  });
});
