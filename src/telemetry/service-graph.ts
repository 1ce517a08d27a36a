import {
  EdgeRef,
  EdgeSeries,
  GraphAnswers,
  GraphNode,
  GraphSeries,
  NodeRef,
  resolveSeries,
} from './graph-series';

// The graph's input and node shapes live with the series they are resolved from (graph-series.ts).
export type { GraphAnswers, GraphNode, NodeType } from './graph-series';

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
  edge: EdgeRef;
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

function isFailure(m: Record<string, string>): boolean {
  const code = m.response_code ?? '';
  if (m.request_protocol === 'grpc') {
    const status = m.grpc_response_status || (code === '200' ? '0' : code);
    return status !== '0';
  }
  return code.startsWith('5');
}

type Visit = (t: EdgeTally, m: Record<string, string>, value: number) => void;

/** Tallies by edge slot, made on first use; `made` keeps them in the order they were made. */
class Tallies {
  private readonly slots: Array<EdgeTally | undefined>;
  readonly made: EdgeTally[] = [];

  constructor(size: number) {
    this.slots = new Array<EdgeTally | undefined>(size);
  }

  visit(series: readonly EdgeSeries[], fn: Visit): void {
    for (const s of series) {
      if (!Number.isFinite(s.value)) continue;
      for (const edge of s.edges) fn(this.of(edge), s.metric, s.value);
    }
  }

  private of(edge: EdgeRef): EdgeTally {
    let t = this.slots[edge.index];
    if (!t) {
      t = {
        edge,
        total: 0,
        errors: 0,
        clientErrors: 0,
        mtls: 0,
        reported: 0,
        tcp: 0,
        p95: null,
        protocols: new Map(),
      };
      this.slots[edge.index] = t;
      this.made.push(t);
    }
    return t;
  }
}

const round = (v: number, scale = 1000) => Math.round(v * scale) / scale;
/** Four decimals: the scale `round` takes for rates and percents. */
const FOUR = 10_000;
const percent = (part: number, whole: number) =>
  whole > 0 ? round((100 * part) / whole, FOUR) : 0;

/** The protocol with the most requests (the first seen of equals), else tcp or http. */
function mainProtocol(t: EdgeTally): string {
  let best: string | undefined;
  let most = -Infinity;
  for (const [protocol, rate] of t.protocols) if (rate > most) [best, most] = [protocol, rate];
  return best ?? (t.tcp > 0 ? 'tcp' : 'http');
}

function finish(t: EdgeTally): GraphEdge {
  return {
    source: t.edge.source.node.id,
    target: t.edge.target.node.id,
    kind: t.edge.kind,
    protocol: mainProtocol(t),
    requestsPerSecond: round(t.total, FOUR),
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
  return graphOf(resolveSeries(answers));
}

/** The graph of resolved series (the cluster's, or a namespace's part of them): buildGraph. */
export function graphOf(series: GraphSeries): ServiceGraph {
  const tallies = new Tallies(series.edgeCount);
  tallies.visit(series.requests, (t, m, v) => {
    if (v <= 0) return;
    t.total += v;
    if (isFailure(m)) t.errors += v;
    else if ((m.response_code ?? '').startsWith('4')) t.clientErrors += v;
    const protocol = m.request_protocol || 'http';
    t.protocols.set(protocol, (t.protocols.get(protocol) ?? 0) + v);
  });
  tallies.visit(series.mtls, (t, m, v) => {
    t.reported += v;
    if (m.connection_security_policy === 'mutual_tls') t.mtls += v;
  });
  tallies.visit(series.p95, (t, _m, v) => (t.p95 = Math.max(t.p95 ?? 0, v)));
  tallies.visit(series.tcp, (t, _m, v) => {
    t.tcp += v;
    if (v > 0 && t.total === 0) t.protocols.set('tcp', v);
  });
  // Edges are numbered in the graph's order (by source, then target, as the collator orders ids).
  const kept = tallies.made
    .filter((t) => t.total > 0 || t.tcp > 0)
    .sort((a, b) => a.edge.index - b.edge.index);
  const used = new Set<NodeRef>();
  for (const t of kept) used.add(t.edge.source).add(t.edge.target);
  return {
    nodes: [...used].sort((a, b) => a.rank - b.rank).map((n) => n.node),
    edges: kept.map(finish),
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
