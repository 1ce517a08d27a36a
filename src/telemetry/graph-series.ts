import { serviceNamespace } from './golden-signals';
import type { Sample } from './prometheus-client';

export type NodeType = 'workload' | 'service' | 'unknown';

export interface GraphNode {
  /** workload:<ns>/<name>, service:<ns>/<name>, or unknown (callers outside the mesh). */
  id: string;
  type: NodeType;
  namespace: string | null;
  name: string;
}

/** The answers of graphQueries: one series list per query. */
export interface GraphAnswers {
  requests: readonly Sample[];
  mtls: readonly Sample[];
  p95: readonly Sample[];
  tcp: readonly Sample[];
}

/** A node with its place in the graph's order (its id's, by the collator localeCompare uses). */
export interface NodeRef {
  node: GraphNode;
  rank: number;
  /** The edges leaving the node, by target. */
  out: Map<NodeRef, EdgeRef>;
}

/**
 * One edge of the evaluation. `index` is its place in the graph's order and its slot in a tally
 * array: no text key is built and no text compared when a graph is tallied.
 */
export interface EdgeRef {
  index: number;
  source: NodeRef;
  target: NodeRef;
  kind: 'call' | 'route';
}

/** One series of an answer with the edges it stands for. */
export interface EdgeSeries {
  metric: Record<string, string>;
  value: number;
  edges: readonly EdgeRef[];
}

/**
 * The graph queries' answers with each series' edges resolved, once per evaluation: the cluster's
 * graph and every namespace's (whose series are a subset) are then tallied from these without
 * building a node id, an edge key or a collation again.
 */
export interface GraphSeries {
  requests: readonly EdgeSeries[];
  mtls: readonly EdgeSeries[];
  p95: readonly EdgeSeries[];
  tcp: readonly EdgeSeries[];
  /** Edges resolved in the evaluation: the size of a tally array. */
  edgeCount: number;
}

const byText = new Intl.Collator().compare;

/** Two-level lookup by label values: no text is built to find what was resolved before. */
class ByLabels<T> {
  private readonly map = new Map<string | undefined, Map<string | undefined, T>>();

  get(a: string | undefined, b: string | undefined, make: () => T): T {
    let inner = this.map.get(a);
    if (!inner) this.map.set(a, (inner = new Map()));
    let found = inner.get(b);
    if (found === undefined) inner.set(b, (found = make()));
    return found;
  }
}

class Resolver {
  /** Nodes by id: the one identity (labels that differ can name one node). */
  private readonly nodes = new Map<string, NodeRef>();
  private readonly workloads = new ByLabels<NodeRef>();
  private readonly services = new ByLabels<NodeRef | null>();
  private edgeTotal = 0;
  private readonly unknown = this.node({
    id: 'unknown',
    type: 'unknown',
    namespace: null,
    name: 'unknown',
  });

  get edgeCount(): number {
    return this.edgeTotal;
  }

  all(samples: readonly Sample[]): EdgeSeries[] {
    return samples.map((s) => ({
      metric: s.metric,
      value: s.value,
      edges: this.edgesOf(s.metric),
    }));
  }

  /**
   * Ranks the nodes by id, then numbers the edges in the graph's order (by source, then target):
   * a graph's edges, the cluster's or a namespace's, are then sorted by one number, not by texts.
   */
  order(): void {
    const nodes = [...this.nodes.values()].sort((a, b) => byText(a.node.id, b.node.id));
    // Ids the collator holds equal share a rank, so the order is exactly the collator's.
    let rank = 0;
    nodes.forEach((n, i) => {
      if (i > 0 && byText(nodes[i - 1].node.id, n.node.id) !== 0) rank += 1;
      n.rank = rank;
    });
    nodes
      .flatMap((n) => [...n.out.values()])
      .sort((a, b) => a.source.rank - b.source.rank || a.target.rank - b.target.rank)
      .forEach((edge, i) => (edge.index = i));
  }

  /** Caller → Service, and Service → workload when one answered (caller → workload without one). */
  private edgesOf(m: Record<string, string>): EdgeRef[] {
    const unknownCaller = !m.source_workload || m.source_workload === 'unknown';
    const caller = unknownCaller
      ? this.unknown
      : this.workload(m.source_workload_namespace, m.source_workload);
    const service = this.services.get(m.destination_service, m.destination_service_name, () =>
      this.service(m.destination_service, m.destination_service_name),
    );
    const known = m.destination_workload && m.destination_workload !== 'unknown';
    const callee = known
      ? this.workload(m.destination_workload_namespace, m.destination_workload)
      : undefined;
    if (service && callee)
      return [this.edge(caller, service, 'call'), this.edge(service, callee, 'route')];
    if (service) return [this.edge(caller, service, 'call')];
    return callee ? [this.edge(caller, callee, 'call')] : [];
  }

  private service(fqdn: string | undefined, name: string | undefined): NodeRef | null {
    const ns = serviceNamespace(fqdn);
    if (!ns || !name) return null;
    return this.node({ id: `service:${ns}/${name}`, type: 'service', namespace: ns, name });
  }

  private workload(namespace: string, name: string): NodeRef {
    return this.workloads.get(namespace, name, () =>
      this.node({ id: `workload:${namespace}/${name}`, type: 'workload', namespace, name }),
    );
  }

  private node(node: GraphNode): NodeRef {
    let found = this.nodes.get(node.id);
    if (!found) this.nodes.set(node.id, (found = { node, rank: 0, out: new Map() }));
    return found;
  }

  private edge(source: NodeRef, target: NodeRef, kind: 'call' | 'route'): EdgeRef {
    let found = source.out.get(target);
    if (!found) {
      found = { index: this.edgeTotal++, source, target, kind };
      source.out.set(target, found);
    }
    return found;
  }
}

/** The four answers of graphQueries with every series' edges resolved (see GraphSeries). */
export function resolveSeries(answers: GraphAnswers): GraphSeries {
  const r = new Resolver();
  const requests = r.all(answers.requests);
  const mtls = r.all(answers.mtls);
  const p95 = r.all(answers.p95);
  const tcp = r.all(answers.tcp);
  r.order();
  return { requests, mtls, p95, tcp, edgeCount: r.edgeCount };
}
