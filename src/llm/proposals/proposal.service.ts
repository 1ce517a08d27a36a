import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { roleSatisfies } from '../../common/roles';
import { AppError } from '../../common/app-error';
import { Principal, requestContext } from '../../common/request-context';
import { ConfigProvider } from '../../config/config.provider';
import { checkClusterAccess } from '../../common/access-check';
import type { Role } from '../../common/request-context';
import { ClusterDirectory } from '../../cluster-registry/cluster-directory';
import type { ToolContext } from '../tools/tool-descriptor';
import { Redactor } from '../redactor';
import { ownerOf } from '../sessions/owner';
import { LlmProposal } from './llm-proposal.entity';
import { ProposalExecutor } from './proposal-executor';
import { ProposalAction, ProposalDraft, ProposalView } from './proposal-types';

const NAMESPACED_ACTIONS: ReadonlySet<ProposalAction> = new Set(['scale', 'restart', 'delete-pod']);

/**
 * Changes the assistant drafts. Proposing runs a server-side dry run and stores the result;
 * only an operator's approval applies it, and only if the target has not moved since.
 */
@Injectable()
export class ProposalService {
  /**
   * The stored dry run is a copy of the target (a Deployment with its env): it goes through the
   * redactor like every tool result, whether the assistant or a route (a rollback) proposed it.
   */
  private readonly redactor: Redactor;

  constructor(
    @InjectRepository(LlmProposal) private readonly proposals: Repository<LlmProposal>,
    private readonly executor: ProposalExecutor,
    private readonly configProvider: ConfigProvider,
    private readonly clusters: ClusterDirectory,
  ) {
    this.redactor = new Redactor(configProvider.config.llm.redactPatterns);
  }

  async propose(ctx: ToolContext, draft: ProposalDraft): Promise<ProposalView> {
    const preview = await this.executor.run(ctx.clusterId, draft, true);
    const now = Date.now();
    const row: LlmProposal = {
      id: randomUUID(),
      sessionId: ctx.sessionId,
      owner: ctx.owner,
      clusterId: ctx.clusterId,
      action: draft.action,
      targetKind: draft.kind,
      targetNamespace: draft.namespace ?? null,
      targetName: draft.name ?? null,
      params: JSON.stringify(draft.params),
      reason: draft.reason,
      preview: JSON.stringify(this.redactor.value({ result: preview.result, diff: preview.diff })),
      resourceVersion: preview.resourceVersion,
      status: 'pending',
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(
        now + this.configProvider.config.llm.proposalTtlSeconds * 1000,
      ).toISOString(),
      decidedBy: null,
      decidedAt: null,
      resultCode: null,
    };
    await this.proposals.insert(row);
    return viewOf(row);
  }

  /** The owner and operators may read a proposal; anyone else learns nothing, not even that it exists. */
  async get(id: string, principal: Principal): Promise<ProposalView> {
    return viewOf(await this.load(id, principal));
  }

  async listForSession(sessionId: string): Promise<ProposalView[]> {
    const rows = await this.proposals.find({ where: { sessionId }, order: { createdAt: 'ASC' } });
    return rows.map(viewOf);
  }

  async approve(id: string, principal: Principal): Promise<ProposalView> {
    const loaded = await this.load(id, principal);
    // Approving applies the change: the approver's own grants must reach its target as operator.
    await this.permit(loaded, principal, 'operator');
    const row = await this.claim(loaded, principal);
    const draft = draftOf(row);
    try {
      const current = await this.executor.currentVersion(row.clusterId, draft);
      if (row.resourceVersion && current !== row.resourceVersion)
        throw new AppError(
          'CONFLICT',
          'The target changed since the proposal was made; ask again for a fresh one',
          {
            proposedResourceVersion: row.resourceVersion,
            currentResourceVersion: current,
          },
        );
      await this.executor.run(row.clusterId, draft, false, row.resourceVersion ?? undefined);
      return viewOf(await this.decide(row, principal, 'applied', 'OK'));
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'INTERNAL_ERROR';
      await this.decide(row, principal, 'failed', code);
      throw error;
    }
  }

  async reject(id: string, principal: Principal): Promise<ProposalView> {
    const row = await this.claim(await this.load(id, principal), principal, 'rejected');
    return viewOf(await this.decide(row, principal, 'rejected', 'REJECTED'));
  }

  private async load(id: string, principal: Principal): Promise<LlmProposal> {
    const row = await this.proposals.findOneBy({ id });
    if (!row || (row.owner !== ownerOf(principal) && !roleSatisfies(principal.role, 'operator')))
      throw new AppError('NOT_FOUND', `No proposal ${id}`);
    // A proposal about something outside the caller's grants does not exist for it.
    await this.permit(row, principal, 'viewer').catch(() => {
      throw new AppError('NOT_FOUND', `No proposal ${id}`);
    });
    return row;
  }

  /** The same decision as the action's route: namespaced actions by namespace, others cluster-wide. */
  private async permit(row: LlmProposal, principal: Principal, role: Role): Promise<void> {
    if (principal.scope.unrestricted) return;
    const found = await this.clusters.get(row.clusterId);
    const namespaced =
      !!row.targetNamespace && NAMESPACED_ACTIONS.has(row.action as ProposalAction);
    checkClusterAccess(
      namespaced ? 'namespaced' : 'cluster-wide',
      principal.scope,
      { id: found.id, name: found.name, labels: found.labels },
      namespaced ? row.targetNamespace! : undefined,
      role,
    );
  }

  /**
   * Moves a pending proposal out of `pending` in one conditional UPDATE, so two approvals racing
   * each other cannot both apply it. The audit row of this request names the session.
   */
  private async claim(
    row: LlmProposal,
    principal: Principal,
    to: 'applying' | 'rejected' = 'applying',
  ) {
    const ctx = requestContext.current();
    if (ctx)
      ctx.auditNote = `session=${row.sessionId ?? '-'} proposal=${row.id} action=${row.action}`;
    if (row.status !== 'pending')
      throw new AppError('CONFLICT', `The proposal is already ${row.status}`, {
        status: row.status,
      });
    if (Date.parse(row.expiresAt) <= Date.now()) {
      await this.proposals.update({ id: row.id, status: 'pending' }, { status: 'expired' });
      throw new AppError('LLM_PROPOSAL_EXPIRED', `The proposal expired at ${row.expiresAt}`);
    }
    const claimed = await this.proposals.update({ id: row.id, status: 'pending' }, { status: to });
    if (!claimed.affected)
      throw new AppError('CONFLICT', 'The proposal was decided by someone else just now');
    return { ...row, status: to, decidedBy: principal.name };
  }

  private async decide(
    row: LlmProposal,
    principal: Principal,
    status: LlmProposal['status'],
    code: string,
  ) {
    const decided = {
      ...row,
      status,
      decidedBy: principal.name,
      decidedAt: new Date().toISOString(),
      resultCode: code,
    };
    await this.proposals.update(
      { id: row.id },
      { status, decidedBy: decided.decidedBy, decidedAt: decided.decidedAt, resultCode: code },
    );
    return decided;
  }
}

function draftOf(row: LlmProposal): ProposalDraft {
  return {
    action: row.action as ProposalAction,
    kind: row.targetKind,
    namespace: row.targetNamespace ?? undefined,
    name: row.targetName ?? undefined,
    params: JSON.parse(row.params) as ProposalDraft['params'],
    reason: row.reason,
  };
}

export function viewOf(row: LlmProposal): ProposalView {
  const draft = draftOf(row);
  return {
    id: row.id,
    sessionId: row.sessionId,
    clusterId: row.clusterId,
    action: draft.action,
    kind: row.targetKind,
    namespace: row.targetNamespace,
    name: row.targetName,
    params: draft.params,
    reason: row.reason,
    dryRun: JSON.parse(row.preview) as ProposalView['dryRun'],
    resourceVersion: row.resourceVersion,
    status: row.status,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    resultCode: row.resultCode,
  };
}
