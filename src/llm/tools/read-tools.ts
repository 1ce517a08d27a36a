import { z } from 'zod';
import { AppError } from '../../common/app-error';
import { SEVERITIES } from '../../cluster-state/finding';
import { parseSince } from '../../k8s-resources/event-aggregation';
import {
  containerName,
  findingCode,
  findingId,
  kindName,
  kindRef,
  labelSelector,
  namespace,
  objectName,
  since,
} from './schemas';
import { TELEMETRY_TOOLS } from './telemetry-tools';
import { readTool, ToolContext, ToolDeps, ToolDescriptor } from './tool-descriptor';

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

/** A tool without arguments that answers what the overview routes answer, from the live cache. */
function overviewTool(
  name: string,
  access: ToolDescriptor['access'],
  description: string,
  read: (overview: ToolDeps['overview'], clusterId: string) => Promise<unknown>,
): ToolDescriptor {
  return readTool({
    name,
    access,
    description,
    input: z.object({}),
    deadlineMs: 10_000,
    handler: (_a, ctx, deps) => read(deps.overview, ctx.clusterId),
  });
}

/**
 * The read tools: each one a call of the feature service that already serves the same data over
 * HTTP, so views (Secret-free), limits and error codes are the same.
 */
export const READ_TOOLS: ToolDescriptor[] = [
  overviewTool(
    'cluster_overview',
    'cluster-wide',
    'Counts and health of nodes, pods, workloads and services, with requests/limits',
    (overview, clusterId) => overview.overview(clusterId),
  ),
  overviewTool(
    'list_namespaces',
    'namespaces',
    'Every namespace with its pod phases, workload counts and resource sums',
    (overview, clusterId) => overview.namespaces(clusterId),
  ),
  overviewTool(
    'list_nodes',
    'cluster-wide',
    'Every node: readiness, schedulability, capacity, allocatable, requests and usage',
    (overview, clusterId) => overview.nodes(clusterId),
  ),
  readTool({
    name: 'list_resources',
    access: 'cluster',
    description: `List objects of any kind (summary view where one exists), at most ${LIST_MAX_ITEMS}`,
    input: z.object({
      kind: kindRef,
      namespace: namespace.optional(),
      labelSelector: labelSelector.optional(),
      limit: z.number().int().min(1).max(LIST_MAX_ITEMS).optional(),
    }),
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
  readTool({
    name: 'get_resource',
    access: 'namespaced',
    description: 'One object of any kind (slim view: no managedFields)',
    input: z.object({ kind: kindRef, name: objectName('name'), namespace: namespace.optional() }),
    deadlineMs: 10_000,
    handler: async (a, ctx, deps) => {
      await refuseSecrets(deps, ctx, a.kind);
      return deps.resources.get(ctx.clusterId, a.kind, a.name, { namespace: a.namespace });
    },
  }),
  readTool({
    name: 'list_events',
    access: 'cluster',
    description: 'Events, folded by object and reason; filter by namespace, type, object, window',
    input: z.object({
      namespace: namespace.optional(),
      type: z.enum(['Normal', 'Warning']).optional(),
      involvedKind: kindName('involvedKind').optional(),
      involvedName: objectName('involvedName').optional(),
      since: since.optional(),
    }),
    deadlineMs: 15_000,
    handler: (a, ctx, deps) => deps.events.list(ctx.clusterId, a),
  }),
  readTool({
    name: 'pod_logs',
    access: 'namespaced',
    description: `The last lines (at most ${LOG_TAIL_MAX_LINES}) of a pod container's log, or of its previous instance`,
    input: z.object({
      namespace,
      pod: objectName('pod'),
      container: containerName.optional(),
      tailLines: z.number().int().min(1).max(LOG_TAIL_MAX_LINES).optional(),
      previous: z.boolean().optional(),
    }),
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
  readTool({
    name: 'istio_validations',
    access: 'cluster',
    description:
      'Problems in Istio Gateways, VirtualServices and DestinationRules (Kiali-like checks)',
    input: z.object({ namespace: namespace.optional() }),
    deadlineMs: 20_000,
    handler: (a, ctx, deps) => deps.mesh.validate(ctx.clusterId, a.namespace),
  }),
  readTool({
    name: 'diagnostics_findings',
    access: 'cluster',
    description:
      'What is broken in the cluster: current findings (crash loops, image pulls, unschedulable pods, missing references, …) grouped by the workload to act on, with evidence and a suggested fix, worst first. Findings a team silenced (accepted) are left out unless silenced is true; those carry a `silenced` marker saying by which silence or annotation',
    input: z.object({
      namespace: namespace.optional(),
      severity: z.enum(SEVERITIES).optional(),
      code: findingCode.optional(),
      kind: kindName('kind').optional(),
      silenced: z.boolean().optional(),
      limit: z.number().int().min(1).max(50).optional(),
    }),
    deadlineMs: 15_000,
    handler: (a, ctx, deps) =>
      deps.diagnostics.findings(ctx.clusterId, { ...a, limit: a.limit ?? 20 }),
  }),
  readTool({
    name: 'cluster_health',
    access: 'cluster-wide',
    description:
      "The cluster's health score (0-100) and each namespace's, with the findings that cost points",
    input: z.object({}),
    deadlineMs: 15_000,
    handler: (_a, ctx, deps) => deps.diagnostics.health(ctx.clusterId),
  }),
  readTool({
    name: 'recent_changes',
    access: 'cluster',
    description:
      'What changed in the cluster, newest first: image, env, resources, replicas (and who: kubectl, the HPA, a GitOps controller), rollouts, ConfigMap keys, Secret metadata, Service selectors, node taints, HPA bounds; secret values are hashes',
    input: z.object({
      namespace: namespace.optional(),
      kind: kindName('kind').optional(),
      name: objectName('name').optional(),
      since: since.optional(),
      limit: z.number().int().min(1).max(LIST_MAX_ITEMS).optional(),
    }),
    deadlineMs: 10_000,
    handler: (a, ctx, deps) =>
      deps.changes.list(ctx.clusterId, {
        namespace: a.namespace,
        kind: a.kind,
        name: a.name,
        since: a.since ? parseSince(a.since)?.toISOString() : undefined,
        limit: a.limit ?? 20,
        offset: 0,
      }),
  }),
  readTool({
    name: 'finding_suspects',
    access: 'cluster-wide',
    description:
      'The recent changes most likely to have caused a diagnostics finding, ranked by how shortly before it began and how closely related they are, each with a one-sentence reason',
    input: z.object({ findingId }),
    deadlineMs: 15_000,
    handler: (a, ctx, deps) => deps.suspects.of(ctx.clusterId, a.findingId),
  }),
  ...TELEMETRY_TOOLS,
];
