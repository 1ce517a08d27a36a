import { Injectable } from '@nestjs/common';
import { graphQueries } from './promql';
import { buildGraph, ServiceGraph, toMermaid } from './service-graph';
import { Queries, TelemetryRunner } from './telemetry-runner';
import type { GraphQueryDto, ServiceGraphDto } from './telemetry.dto';

/** The service graph of a namespace or the cluster: four queries, whatever its size. */
@Injectable()
export class GraphService {
  constructor(private readonly runner: TelemetryRunner) {}

  async graph(clusterId: string, query: GraphQueryDto): Promise<ServiceGraphDto> {
    const empty: ServiceGraph = { nodes: [], edges: [] };
    const run = await this.runner.run(
      clusterId,
      empty,
      (q) => this.collect(q, query.windowSeconds, query.namespace),
      `graph|${query.windowSeconds}|${query.namespace ?? ''}`,
    );
    return {
      cluster: run.cluster,
      telemetry: run.telemetry,
      windowSeconds: query.windowSeconds,
      generatedAt: new Date().toISOString(),
      namespace: query.namespace ?? null,
      ...run.data,
      mermaid: query.format === 'mermaid' ? toMermaid(run.data) : null,
    };
  }

  async collect(q: Queries, windowSeconds: number, namespace?: string): Promise<ServiceGraph> {
    const queries = graphQueries(windowSeconds, namespace);
    const [requests, mtls, p95, tcp] = await Promise.all([
      q.instant(queries.requests),
      q.instant(queries.mtls),
      q.instant(queries.p95),
      q.instant(queries.tcp),
    ]);
    return buildGraph({ requests, mtls, p95, tcp });
  }
}
