import { z } from 'zod';
import { AppError } from '../../common/app-error';
import { SEVERITIES } from '../../cluster-state/finding';
import {
  containerName,
  findingCode,
  kindName,
  kindRef,
  labelSelector,
  namespace,
  objectName,
  since,
} from './schemas';
import { TELEMETRY_TOOLS } from './telemetry-tools';
import { tool, ToolContext, ToolDeps, ToolDescriptor } from './tool-descriptor';

const LOG_TAIL_MAX_LINES = 200;
const LIST_MAX_ITEMS = 50;
const LOG_TAIL_MAX_CHARS = 8_000;

function tailOf(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(-max);
  return cut.slice(cut.indexOf('\n') + 1);
}

/** The assistant never reads Secrets at all: not even the key-names view is worth the risk. */
async function refuseSecrets(deps: ToolDeps, ctx: ToolContext, kind: string): Promise<void> {
  const resource = await deps.resources.resolve(ctx.clusterId, kind);
  if (resource.kind === 'Secret')
    throw new AppError('FORBIDDEN', 'Secrets are not readable by the assistant');
}

/**
 * The read tools: each one a call of the feature service that already serves the same data over
 * HTTP, so views (Secret-free), limits and error codes are the same.
 */
export const READ_TOOLS: ToolDescriptor[] = [
  tool({
    name: 'cluster_overview',
    description: 'Counts and health of nodes, pods, workloads and services, with requests/limits',
    input: z.object({}),
    role: 'viewer',
    deadlineMs: 10_000,
    handler: (_a, ctx, deps) => deps.overview.overview(ctx.clusterId),
  }),
  tool({
    name: 'list_namespaces',
    description: 'Every namespace with its pod phases, workload counts and resource sums',
    input: z.object({}),
    role: 'viewer',
    deadlineMs: 10_000,
    handler: (_a, ctx, deps) => deps.overview.namespaces(ctx.clusterId),
  }),
  tool({
    name: 'list_nodes',
    description: 'Every node: readiness, schedulability, capacity, allocatable, requests and usage',
    input: z.object({}),
    role: 'viewer',
    deadlineMs: 10_000,
    handler: (_a, ctx, deps) => deps.overview.nodes(ctx.clusterId),
  }),
  tool({
    name: 'list_resources',
    description: `List objects of any kind (summary view where one exists), at most ${LIST_MAX_ITEMS}`,
    input: z.object({
      kind: kindRef,
      namespace: namespace.optional(),
      labelSelector: labelSelector.optional(),
      limit: z.number().int().min(1).max(LIST_MAX_ITEMS).optional(),
    }),
    role: 'viewer',
    deadlineMs: 15_000,
    handler: async (a, ctx, deps) => {
      await refuseSecrets(deps, ctx, a.kind);
      return deps.resources.list(ctx.clusterId, a.kind, {
        namespace: a.namespace,
        labelSelector: a.labelSelector,
        limit: a.limit ?? 20,
        view: 'summary',
      });
    },
  }),
  tool({
    name: 'get_resource',
    description: 'One object of any kind (slim view: no managedFields)',
    input: z.object({ kind: kindRef, name: objectName('name'), namespace: namespace.optional() }),
    role: 'viewer',
    deadlineMs: 10_000,
    handler: async (a, ctx, deps) => {
      await refuseSecrets(deps, ctx, a.kind);
      return deps.resources.get(ctx.clusterId, a.kind, a.name, { namespace: a.namespace });
    },
  }),
  tool({
    name: 'list_events',
    description: 'Events, folded by object and reason; filter by namespace, type, object, window',
    input: z.object({
      namespace: namespace.optional(),
      type: z.enum(['Normal', 'Warning']).optional(),
      involvedKind: kindName('involvedKind').optional(),
      involvedName: objectName('involvedName').optional(),
      since: since.optional(),
    }),
    role: 'viewer',
    deadlineMs: 15_000,
    handler: (a, ctx, deps) => deps.events.list(ctx.clusterId, a),
  }),
  tool({
    name: 'pod_logs',
    description: `The last lines (at most ${LOG_TAIL_MAX_LINES}) of a pod container's log, or of its previous instance`,
    input: z.object({
      namespace,
      pod: objectName('pod'),
      container: containerName.optional(),
      tailLines: z.number().int().min(1).max(LOG_TAIL_MAX_LINES).optional(),
      previous: z.boolean().optional(),
    }),
    role: 'viewer',
    deadlineMs: 15_000,
    handler: async (a, ctx, deps) => {
      const log = await deps.logs.read(ctx.clusterId, a.pod, {
        namespace: a.namespace,
        container: a.container,
        tailLines: a.tailLines ?? 50,
        previous: a.previous,
      });
      // The newest lines matter most: cut from the front, before the runner's cap cuts the end.
      const text = tailOf(log.text, LOG_TAIL_MAX_CHARS);
      return { ...log, text, truncated: log.truncated || text.length < log.text.length };
    },
  }),
  tool({
    name: 'istio_validations',
    description:
      'Problems in Istio Gateways, VirtualServices and DestinationRules (Kiali-like checks)',
    input: z.object({ namespace: namespace.optional() }),
    role: 'viewer',
    deadlineMs: 20_000,
    handler: (a, ctx, deps) => deps.mesh.validate(ctx.clusterId, a.namespace),
  }),
  tool({
    name: 'diagnostics_findings',
    description:
      'What is broken in the cluster: current findings (crash loops, image pulls, unschedulable pods, missing references, …) grouped by the workload to act on, with evidence and a suggested fix, worst first',
    input: z.object({
      namespace: namespace.optional(),
      severity: z.enum(SEVERITIES).optional(),
      code: findingCode.optional(),
      kind: kindName('kind').optional(),
      limit: z.number().int().min(1).max(50).optional(),
    }),
    role: 'viewer',
    deadlineMs: 15_000,
    handler: (a, ctx, deps) =>
      deps.diagnostics.findings(ctx.clusterId, { ...a, limit: a.limit ?? 20 }),
  }),
  tool({
    name: 'cluster_health',
    description:
      "The cluster's health score (0-100) and each namespace's, with the findings that cost points",
    input: z.object({}),
    role: 'viewer',
    deadlineMs: 15_000,
    handler: (_a, ctx, deps) => deps.diagnostics.health(ctx.clusterId),
  }),
  ...TELEMETRY_TOOLS,
];
