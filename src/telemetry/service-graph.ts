import type { Sample } from './prometheus-client';
import { serviceNamespace } from './golden-signals';

export type NodeType = 'workload' | 'service' | 'unknown';

export interface GraphNode {
  /** workload:<ns>/<name>, service:<ns>/<name>, or unknown (callers outside the mesh). */
  id: string;
  type: NodeType;
  namespace: string | null;
  name: string;
}

/** call: a caller to a Service; route: a Service to the workload that answered. */
export interface GraphEdge {
  source: string;
  target: string;
  kind: 'call' | 'route';
  /** The protocol with the most traffic on the edge: http, grpc or tcp. */
  protocol: string;
  requestsPerSecond: number;
  /** Percent of requests that failed (HTTP 5xx, gRPC non-OK), and answered 4xx. */
  errorPercent: number;
  clientErrorPercent: number;
  /** Highest p95 among the series behind the edge (ms); null without requests. */
  p95Ms: number | null;
  /** Percent of the requests the destination reported that came over mutual TLS. */
  mtlsPercent: number;
  tcpBytesPerSecond: number;
}

export interface ServiceGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

interface EdgeTally {
  source: string;
  target: string;
  kind: 'call' | 'route';
  total: number;
  errors: number;
  clientErrors: number;
  mtls: number;
  /** Destination-reported requests: the denominator of the mTLS share. */
  reported: number;
  tcp: number;
  p95: number | null;
  protocols: Map<string, number>;
}

export interface GraphAnswers {
  requests: readonly Sample[];
  mtls: readonly Sample[];
  p95: readonly Sample[];
  tcp: readonly Sample[];
}

function nodeIds(m: Record<string, string>): {
  caller: GraphNode;
  service?: GraphNode;
  callee?: GraphNode;
} {
  const unknownCaller = !m.source_workload || m.source_workload === 'unknown';
  const caller: GraphNode = unknownCaller
    ? { id: 'unknown', type: 'unknown', namespace: null, name: 'unknown' }
    : workload(m.source_workload_namespace, m.source_workload);
  const ns = serviceNamespace(m.destination_service);
  const service =
    ns && m.destination_service_name
      ? {
          id: `service:${ns}/${m.destination_service_name}`,
          type: 'service' as const,
          namespace: ns,
          name: m.destination_service_name,
        }
      : undefined;
  const known = m.destination_workload && m.destination_workload !== 'unknown';
  const callee = known
    ? workload(m.destination_workload_namespace, m.destination_workload)
    : undefined;
  return { caller, service, callee };
}

function workload(namespace: string, name: string): GraphNode {
  return { id: `workload:${namespace}/${name}`, type: 'workload', namespace, name };
}

/** The edges one series stands for: caller → Service, and Service → workload when one answered. */
function edgesOf(
  m: Record<string, string>,
  nodes: Map<string, GraphNode>,
): Array<[string, string, 'call' | 'route']> {
  const { caller, service, callee } = nodeIds(m);
  const out: Array<[string, string, 'call' | 'route']> = [];
  for (const n of [caller, service, callee]) if (n) nodes.set(n.id, n);
  if (service) out.push([caller.id, service.id, 'call']);
  if (service && callee) out.push([service.id, callee.id, 'route']);
  if (!service && callee) out.push([caller.id, callee.id, 'call']);
  return out;
}

function tallyFor(
  tallies: Map<string, EdgeTally>,
  [source, target, kind]: [string, string, 'call' | 'route'],
): EdgeTally {
  const key = `${source}>${target}`;
  let t = tallies.get(key);
  if (!t) {
    t = {
      source,
      target,
      kind,
      total: 0,
      errors: 0,
      clientErrors: 0,
      mtls: 0,
      reported: 0,
      tcp: 0,
      p95: null,
      protocols: new Map(),
    };
    tallies.set(key, t);
  }
  return t;
}

function isFailure(m: Record<string, string>): boolean {
  const code = m.response_code ?? '';
  if (m.request_protocol === 'grpc') {
    const status = m.grpc_response_status || (code === '200' ? '0' : code);
    return status !== '0';
  }
  return code.startsWith('5');
}

type Visit = (t: EdgeTally, m: Record<string, string>, value: number) => void;

function visit(
  samples: readonly Sample[],
  nodes: Map<string, GraphNode>,
  tallies: Map<string, EdgeTally>,
  fn: Visit,
): void {
  for (const s of samples) {
    if (!Number.isFinite(s.value)) continue;
    for (const edge of edgesOf(s.metric, nodes)) fn(tallyFor(tallies, edge), s.metric, s.value);
  }
}

/** localeCompare's order, without building its collator at each of a large graph's comparisons. */
const byText = new Intl.Collator().compare;

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;
const percent = (part: number, whole: number) => (whole > 0 ? round((100 * part) / whole, 4) : 0);

function finish(t: EdgeTally): GraphEdge {
  const protocol =
    [...t.protocols].sort((a, b) => b[1] - a[1])[0]?.[0] ?? (t.tcp > 0 ? 'tcp' : 'http');
  return {
    source: t.source,
    target: t.target,
    kind: t.kind,
    protocol,
    requestsPerSecond: round(t.total, 4),
    errorPercent: percent(t.errors, t.total),
    clientErrorPercent: percent(t.clientErrors, t.total),
    p95Ms: t.p95 === null ? null : round(t.p95),
    mtlsPercent: percent(t.mtls, t.reported),
    tcpBytesPerSecond: round(t.tcp),
  };
}

/**
 * The graph from the four answers of graphQueries: every node is a workload, a Service or the
 * unknown caller; edges carry rate, error %, p95, protocol and mTLS share — enough to draw Kiali's
 * versioned-app graph. Edges and nodes come sorted, so one state gives one graph.
 */
export function buildGraph(answers: GraphAnswers): ServiceGraph {
  const nodes = new Map<string, GraphNode>();
  const tallies = new Map<string, EdgeTally>();
  visit(answers.requests, nodes, tallies, (t, m, v) => {
    if (v <= 0) return;
    t.total += v;
    if (isFailure(m)) t.errors += v;
    else if ((m.response_code ?? '').startsWith('4')) t.clientErrors += v;
    const protocol = m.request_protocol || 'http';
    t.protocols.set(protocol, (t.protocols.get(protocol) ?? 0) + v);
  });
  visit(answers.mtls, nodes, tallies, (t, m, v) => {
    t.reported += v;
    if (m.connection_security_policy === 'mutual_tls') t.mtls += v;
  });
  visit(answers.p95, nodes, tallies, (t, _m, v) => (t.p95 = Math.max(t.p95 ?? 0, v)));
  visit(answers.tcp, nodes, tallies, (t, _m, v) => {
    t.tcp += v;
    if (v > 0 && t.total === 0) t.protocols.set('tcp', v);
  });
  const edges = [...tallies.values()]
    .filter((t) => t.total > 0 || t.tcp > 0)
    .map(finish)
    .sort((a, b) => byText(a.source, b.source) || byText(a.target, b.target));
  const used = new Set(edges.flatMap((e) => [e.source, e.target]));
  return {
    nodes: [...nodes.values()].filter((n) => used.has(n.id)).sort((a, b) => byText(a.id, b.id)),
    edges,
  };
}

/** The graph as a Mermaid flowchart, which GitHub, GitLab and most Markdown viewers draw. */
export function toMermaid(graph: ServiceGraph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
  const label = (n: GraphNode) =>
    n.namespace ? `${n.name}<br/><small>${n.namespace}</small>` : n.name;
  const shape = (n: GraphNode) => {
    const text = `"${label(n).replace(/"/g, '#quot;')}"`;
    return n.type === 'service'
      ? `{{${text}}}`
      : n.type === 'unknown'
        ? `((${text}))`
        : `[${text}]`;
  };
  const lines = ['flowchart LR', ...graph.nodes.map((n) => `  ${ids.get(n.id)}${shape(n)}`)];
  for (const e of graph.edges) {
    const text =
      e.protocol === 'tcp' && e.requestsPerSecond === 0
        ? `tcp ${e.tcpBytesPerSecond} B/s`
        : `${e.requestsPerSecond} rps, ${e.errorPercent}% err`;
    lines.push(`  ${ids.get(e.source)} -->|"${text}"| ${ids.get(e.target)}`);
  }
  const failing = graph.edges.flatMap((e, i) => (e.errorPercent > 0 ? [i] : []));
  if (failing.length) lines.push(`  linkStyle ${failing.join(',')} stroke:#d33`);
  return `${lines.join('\n')}\n`;
}
