import { Injectable } from '@nestjs/common';
import { SuspectsService } from '../../changes/suspects.service';
import { AppError } from '../../common/app-error';
import type { Principal } from '../../common/request-context';
import { ownerOf } from '../sessions/owner';
import { ProposalService } from './proposal.service';
import type { ProposalView } from './proposal-types';

/** Suspects a rollback can undo: a Deployment's pod template changed, or a revision rolled out. */
const UNDOABLE = new Set(['template', 'rollout']);

/**
 * Rollback as a proposal (docs/changes.md): when a finding's top suspect is a Deployment template
 * change, propose returning the Deployment to its previous revision through the proposal
 * mechanism (server-side dry run and diff now; an operator's approval applies it, refused if the
 * Deployment moved since).
 */
@Injectable()
export class RollbackProposals {
  constructor(
    private readonly suspects: SuspectsService,
    private readonly proposals: ProposalService,
  ) {}

  async forFinding(
    clusterIdOrName: string,
    findingId: string,
    principal: Principal,
  ): Promise<ProposalView> {
    const suspects = await this.suspects.of(clusterIdOrName, findingId, 1);
    const top = suspects.items[0];
    if (!top || top.change.kind !== 'Deployment' || !UNDOABLE.has(top.change.category))
      throw new AppError(
        'ROLLBACK_NOT_APPLICABLE',
        top
          ? `The top suspect is not a Deployment template change: ${top.reason}`
          : 'The finding has no suspects',
        { findingId },
      );
    return this.proposals.propose(
      {
        clusterId: suspects.clusterId,
        role: principal.role,
        scope: principal.scope,
        signal: new AbortController().signal,
        sessionId: null,
        owner: ownerOf(principal),
        via: 'assistant',
      },
      {
        action: 'rollback',
        kind: 'deployments',
        namespace: top.change.namespace,
        name: top.change.name,
        params: {},
        reason: `Roll back to the previous revision: ${top.reason}`,
      },
    );
  }
}
