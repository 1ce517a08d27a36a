import { z } from 'zod';
import type { ServiceSignalsDto } from '../../telemetry/telemetry.dto';
import { MAX_QUERY_LENGTH, MAX_RANGE_MINUTES } from '../../telemetry/metrics-query.service';
import { namespace, objectName } from './schemas';
import { readTool, ToolDescriptor } from './tool-descriptor';

const MAX_ITEMS = 50;
const windowSeconds = z
  .number()
  .int()
  .min(10)
  .max(86400)
  .describe('Window of rates and quantiles in seconds (default 300)');

const percent = (ratio: number) => Math.round(ratio * 100 * 1000) / 1000;

/** One line per service for the model: the numbers that answer "is it failing, is it slow". */
function brief(item: ServiceSignalsDto) {
  const s = item.inbound;
  return {
    kind: item.kind,
    namespace: item.namespace,
    name: item.name,
    health: item.health.status,
    reasons: item.health.reasons,
    requestsPerSecond: s.requestsPerSecond,
    errorPercent5xx: percent(s.errorRatio5xx),
    errorPercent4xx: percent(s.errorRatio4xx),
    grpcErrorPercent: percent(s.grpcErrorRatio),
    latencyMs: s.latencyMs,
    ...(item.outbound
      ? {
          outbound: {
            requestsPerSecond: item.outbound.requestsPerSecond,
            errorPercent5xx: percent(item.outbound.errorRatio5xx),
          },
        }
      : {}),
  };
}

/**
 * The telemetry tools: numbers from the cluster's Prometheus, through the same services as the
 * /telemetry routes. "Not configured" and Prometheus failures come back in `telemetry`, as data.
 */
export const TELEMETRY_TOOLS: ToolDescriptor[] = [
  readTool({
    name: 'service_health',
    access: 'cluster',
    description:
      "Golden signals and Kiali-style health of Services (or workloads): request rate, 5xx/4xx/gRPC error %, p50/p95/p99 latency, worst first. Answers 'why is X slow / failing'",
    input: z.object({
      namespace: namespace.optional(),
      name: objectName('name').optional(),
      scope: z.enum(['service', 'workload']).optional(),
      windowSeconds: windowSeconds.optional(),
      limit: z.number().int().min(1).max(MAX_ITEMS).optional(),
    }),
    deadlineMs: 15_000,
    handler: async (a, ctx, deps) => {
      const list = await deps.telemetry.signals.list(ctx.clusterId, a.scope ?? 'service', {
        namespace: a.namespace,
        name: a.name,
        windowSeconds: a.windowSeconds ?? 300,
        limit: a.limit ?? 20,
        offset: 0,
      });
      return { ...list, items: list.items.map(brief) };
    },
  }),
  readTool({
    name: 'service_graph',
    access: 'cluster-wide',
    description:
      'Who calls whom: edges caller → Service → workload with requests/s, error %, p95 ms, protocol and mTLS %, for a namespace or the cluster',
    input: z.object({
      namespace: namespace.optional(),
      windowSeconds: windowSeconds.optional(),
    }),
    deadlineMs: 15_000,
    handler: async (a, ctx, deps) => {
      const graph = await deps.telemetry.graphs.graph(ctx.clusterId, {
        namespace: a.namespace,
        windowSeconds: a.windowSeconds ?? 300,
      });
      // Failing and busy edges first: what a question about errors or load needs.
      const edges = [...graph.edges].sort(
        (x, y) => y.errorPercent - x.errorPercent || y.requestsPerSecond - x.requestsPerSecond,
      );
      return {
        ...graph,
        nodes: undefined,
        mermaid: undefined,
        edgeCount: edges.length,
        edges: edges.slice(0, MAX_ITEMS * 2),
      };
    },
  }),
  readTool({
    name: 'query_metrics',
    // PromQL reads any namespace's series.
    access: 'cluster-wide',
    description: `Read-only PromQL against the cluster's Prometheus, instant or over a range (≤ ${MAX_RANGE_MINUTES} min); answers the largest series summarised (min/max/avg/last, a few points)`,
    input: z.object({
      query: z.string().min(1).max(MAX_QUERY_LENGTH).describe('A PromQL expression'),
      rangeMinutes: z.number().int().min(0).max(MAX_RANGE_MINUTES).optional(),
      stepSeconds: z.number().int().min(1).max(3600).optional(),
      limit: z.number().int().min(1).max(20).optional(),
    }),
    deadlineMs: 15_000,
    handler: (a, ctx, deps) => deps.telemetry.metrics.query(ctx.clusterId, a),
  }),
];
