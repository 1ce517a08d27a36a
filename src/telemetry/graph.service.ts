import { Injectable } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { GraphSeries, resolveSeries } from './graph-series';
import { seriesByNamespace } from './namespace-views';
import { graphQueries } from './promql';
import { RecentViews } from './recent-views';
import { buildGraph, GraphAnswers, graphOf, ServiceGraph, toMermaid } from './service-graph';
import { Queries, SharedView, TelemetryRunner } from './telemetry-runner';
import type { GraphQueryDto, ServiceGraphDto } from './telemetry.dto';

/** A graph, and for the cluster-wide one its series by namespace (a namespace's graph is cut from them). */
export interface GraphEvaluation {
  graph: ServiceGraph;
  byNamespace: ReadonlyMap<string, GraphSeries> | null;
}

const EMPTY: GraphEvaluation = { graph: { nodes: [], edges: [] }, byNamespace: null };

/** Namespace graphs kept per cluster-wide evaluation at most (any namespace can be asked for). */
const MAX_CUTS = 200;

/** The service graph of a namespace or the cluster: four queries, whatever its size. */
@Injectable()
export class GraphService {
  /** The namespaces' graphs cut from a shared evaluation, built once per evaluation. */
  private readonly cuts = new WeakMap<GraphEvaluation, Map<string, GraphEvaluation>>();

  constructor(
    private readonly runner: TelemetryRunner,
    private readonly recent: RecentViews,
  ) {}

  async graph(clusterId: string, query: GraphQueryDto): Promise<ServiceGraphDto> {
    const { windowSeconds, namespace } = query;
    const whole = this.sharedView(windowSeconds);
    const run = namespace
      ? await this.runner.runFiltered(clusterId, whole, (e) => this.cut(e, namespace), {
          key: `graph|${windowSeconds}|${namespace}`,
          empty: EMPTY,
          view: async (q) => ({
            graph: await this.collect(q, windowSeconds, namespace),
            byNamespace: null,
          }),
        })
      : await this.runner.run(clusterId, whole.empty, whole.view, whole.key);
    this.recent.note(run.cluster.id, { view: 'graph', windowSeconds });
    return {
      cluster: run.cluster,
      telemetry: run.telemetry,
      windowSeconds,
      generatedAt: new Date().toISOString(),
      namespace: namespace ?? null,
      ...run.data.graph,
      mermaid: query.format === 'mermaid' ? toMermaid(run.data.graph) : null,
    };
  }

  /** The cluster-wide graph of a window, as it is shared and kept warm (with its answers). */
  sharedView(windowSeconds: number): SharedView<GraphEvaluation> {
    return {
      key: `graph|${windowSeconds}|`,
      empty: EMPTY,
      view: async (q) => {
        const answers = await this.answers(q, windowSeconds);
        // Each step of a large answer holds the thread for tens of ms: reads waiting meanwhile
        // (answered from shared views in a fraction of a ms) go between them, not after all.
        await nextTurn();
        const series = resolveSeries(answers);
        await nextTurn();
        const graph = graphOf(series);
        await nextTurn();
        return { graph, byNamespace: seriesByNamespace(series) };
      },
    };
  }

  private cut(whole: GraphEvaluation, namespace: string): GraphEvaluation {
    let cuts = this.cuts.get(whole);
    if (!cuts) this.cuts.set(whole, (cuts = new Map()));
    const found = cuts.get(namespace);
    if (found) return found;
    const graph = ofNamespace(whole, namespace);
    if (cuts.size < MAX_CUTS) cuts.set(namespace, graph);
    return graph;
  }

  async collect(q: Queries, windowSeconds: number, namespace?: string): Promise<ServiceGraph> {
    return buildGraph(await this.answers(q, windowSeconds, namespace));
  }

  private async answers(
    q: Queries,
    windowSeconds: number,
    namespace?: string,
  ): Promise<GraphAnswers> {
    const queries = graphQueries(windowSeconds, namespace);
    const [requests, mtls, p95, tcp] = await Promise.all([
      q.instant(queries.requests),
      q.instant(queries.mtls),
      q.instant(queries.p95),
      q.instant(queries.tcp),
    ]);
    return { requests, mtls, p95, tcp };
  }
}

/** A namespace's graph built from its own series of the cluster-wide evaluation (O(its edges)). */
function ofNamespace(whole: GraphEvaluation, namespace: string): GraphEvaluation {
  const series = whole.byNamespace?.get(namespace);
  return series ? { graph: graphOf(series), byNamespace: null } : EMPTY;
}
