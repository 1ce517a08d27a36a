import { z } from 'zod';
import type { ProposalDraft } from '../proposals/proposal-types';
import { namespace, objectName, reason } from './schemas';
import { tool, ToolDescriptor } from './tool-descriptor';

const NOTE =
  'Changes nothing: drafts the change, runs it as a server-side dry run and returns a proposal an operator must approve.';

/** One proposing tool: what it asks for and the draft it makes of the arguments. */
interface ProposalTool<I extends z.ZodObject> {
  name: string;
  access: ToolDescriptor['access'];
  /** What it proposes; the note that it changes nothing is appended. */
  proposes: string;
  input: I;
  deadlineMs?: number;
  draft(args: z.infer<I>): ProposalDraft;
}

/** Proposing needs no more than viewer: nothing changes until an operator approves. */
function proposal<I extends z.ZodObject>(p: ProposalTool<I>): ToolDescriptor {
  return tool({
    name: p.name,
    access: p.access,
    description: `${p.proposes} ${NOTE}`,
    input: p.input,
    role: 'viewer',
    deadlineMs: p.deadlineMs ?? 15_000,
    proposes: true,
    handler: (a, ctx, deps) => deps.propose(ctx, p.draft(a)),
  });
}

const name = objectName('name');
/** The named object of a namespace, and why. */
const namedObject = z.object({ namespace, name, reason });
const target = (a: z.infer<typeof namedObject>) => ({
  namespace: a.namespace,
  name: a.name,
  reason: a.reason,
});

/**
 * Mutations as proposals only. Applying one is `POST /api/v1/llm/proposals/:id/approve`, operator
 * only.
 */
export const PROPOSAL_TOOLS: ToolDescriptor[] = [
  proposal({
    name: 'propose_scale',
    access: 'namespaced',
    proposes: 'Propose setting the replicas of a Deployment or StatefulSet.',
    input: z.object({
      kind: z.enum(['deployments', 'statefulsets']),
      namespace,
      name,
      replicas: z.number().int().min(0).max(1000),
      reason,
    }),
    draft: (a) => ({
      action: 'scale',
      kind: a.kind,
      ...target(a),
      params: { replicas: a.replicas },
    }),
  }),
  proposal({
    name: 'propose_restart',
    access: 'namespaced',
    proposes: 'Propose a rollout restart of a Deployment, StatefulSet or DaemonSet.',
    input: z.object({
      kind: z.enum(['deployments', 'statefulsets', 'daemonsets']),
      namespace,
      name,
      reason,
    }),
    draft: (a) => ({ action: 'restart', kind: a.kind, ...target(a), params: {} }),
  }),
  proposal({
    name: 'propose_rollback',
    access: 'namespaced',
    proposes:
      'Propose returning a Deployment to its previous revision (kubectl rollout undo), e.g. when finding_suspects names its template change as the cause.',
    input: namedObject,
    draft: (a) => ({ action: 'rollback', kind: 'deployments', ...target(a), params: {} }),
  }),
  proposal({
    name: 'propose_delete_pod',
    access: 'namespaced',
    proposes: 'Propose deleting a pod (its controller recreates it).',
    input: namedObject,
    draft: (a) => ({ action: 'delete-pod', kind: 'pods', ...target(a), params: {} }),
  }),
  proposal({
    name: 'propose_cordon',
    access: 'cluster-wide',
    proposes: 'Propose cordoning (or uncordoning) a node.',
    input: z.object({ node: objectName('node'), schedulable: z.boolean().default(false), reason }),
    draft: (a) => ({
      action: a.schedulable ? 'uncordon' : 'cordon',
      kind: 'nodes',
      name: a.node,
      params: {},
      reason: a.reason,
    }),
  }),
  proposal({
    name: 'propose_apply',
    access: 'cluster-wide',
    proposes: 'Propose a server-side apply of a YAML manifest (one or more documents).',
    input: z.object({
      manifest: z
        .string()
        .min(1)
        .max(256 * 1024),
      namespace: namespace.optional(),
      reason,
    }),
    deadlineMs: 20_000,
    draft: (a) => ({
      action: 'apply',
      kind: 'manifest',
      namespace: a.namespace,
      params: { manifest: a.manifest },
      reason: a.reason,
    }),
  }),
];
