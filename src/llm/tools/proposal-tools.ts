import { z } from 'zod';
import { namespace, objectName, reason } from './schemas';
import { tool, ToolDescriptor } from './tool-descriptor';

const NOTE =
  'Changes nothing: drafts the change, runs it as a server-side dry run and returns a proposal an operator must approve.';

/**
 * Mutations as proposals only. Proposing needs no more than viewer (nothing changes); applying
 * is `POST /api/v1/llm/proposals/:id/approve`, operator only.
 */
export const PROPOSAL_TOOLS: ToolDescriptor[] = [
  tool({
    name: 'propose_scale',
    access: 'namespaced',
    description: `Propose setting the replicas of a Deployment or StatefulSet. ${NOTE}`,
    input: z.object({
      kind: z.enum(['deployments', 'statefulsets']),
      namespace,
      name: objectName('name'),
      replicas: z.number().int().min(0).max(1000),
      reason,
    }),
    role: 'viewer',
    deadlineMs: 15_000,
    proposes: true,
    handler: (a, ctx, deps) =>
      deps.propose(ctx, {
        action: 'scale',
        kind: a.kind,
        namespace: a.namespace,
        name: a.name,
        params: { replicas: a.replicas },
        reason: a.reason,
      }),
  }),
  tool({
    name: 'propose_restart',
    access: 'namespaced',
    description: `Propose a rollout restart of a Deployment, StatefulSet or DaemonSet. ${NOTE}`,
    input: z.object({
      kind: z.enum(['deployments', 'statefulsets', 'daemonsets']),
      namespace,
      name: objectName('name'),
      reason,
    }),
    role: 'viewer',
    deadlineMs: 15_000,
    proposes: true,
    handler: (a, ctx, deps) =>
      deps.propose(ctx, {
        action: 'restart',
        kind: a.kind,
        namespace: a.namespace,
        name: a.name,
        params: {},
        reason: a.reason,
      }),
  }),
  tool({
    name: 'propose_rollback',
    access: 'namespaced',
    description: `Propose returning a Deployment to its previous revision (kubectl rollout undo), e.g. when finding_suspects names its template change as the cause. ${NOTE}`,
    input: z.object({ namespace, name: objectName('name'), reason }),
    role: 'viewer',
    deadlineMs: 15_000,
    proposes: true,
    handler: (a, ctx, deps) =>
      deps.propose(ctx, {
        action: 'rollback',
        kind: 'deployments',
        namespace: a.namespace,
        name: a.name,
        params: {},
        reason: a.reason,
      }),
  }),
  tool({
    name: 'propose_delete_pod',
    access: 'namespaced',
    description: `Propose deleting a pod (its controller recreates it). ${NOTE}`,
    input: z.object({ namespace, name: objectName('name'), reason }),
    role: 'viewer',
    deadlineMs: 15_000,
    proposes: true,
    handler: (a, ctx, deps) =>
      deps.propose(ctx, {
        action: 'delete-pod',
        kind: 'pods',
        namespace: a.namespace,
        name: a.name,
        params: {},
        reason: a.reason,
      }),
  }),
  tool({
    name: 'propose_cordon',
    access: 'cluster-wide',
    description: `Propose cordoning (or uncordoning) a node. ${NOTE}`,
    input: z.object({ node: objectName('node'), schedulable: z.boolean().default(false), reason }),
    role: 'viewer',
    deadlineMs: 15_000,
    proposes: true,
    handler: (a, ctx, deps) =>
      deps.propose(ctx, {
        action: a.schedulable ? 'uncordon' : 'cordon',
        kind: 'nodes',
        name: a.node,
        params: {},
        reason: a.reason,
      }),
  }),
  tool({
    name: 'propose_apply',
    access: 'cluster-wide',
    description: `Propose a server-side apply of a YAML manifest (one or more documents). ${NOTE}`,
    input: z.object({
      manifest: z
        .string()
        .min(1)
        .max(256 * 1024),
      namespace: namespace.optional(),
      reason,
    }),
    role: 'viewer',
    deadlineMs: 20_000,
    proposes: true,
    handler: (a, ctx, deps) =>
      deps.propose(ctx, {
        action: 'apply',
        kind: 'manifest',
        namespace: a.namespace,
        params: { manifest: a.manifest },
        reason: a.reason,
      }),
  }),
];
