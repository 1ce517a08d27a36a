import { Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import type { Principal } from '../common/request-context';
import { Caller } from '../common/caller.decorator';
import { UuidParam } from '../common/route-params.decorator';
import { ProposalDto } from './llm.dto';
import { ProposalService } from './proposals/proposal.service';

const DECIDE_ERRORS: ErrorCode[] = ['CONFLICT', 'LLM_PROPOSAL_EXPIRED'];

// A proposal is its owner's and the operators': the service checks who asks, not a grant.
const Owned = ApiEndpoint.with({
  access: 'global',
  response: ProposalDto,
  errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
});

@ApiTags('llm')
@Controller('api/v1/llm/proposals')
export class ProposalsController {
  constructor(private readonly proposals: ProposalService) {}

  @Get(':id')
  @Owned('A proposed change: dry-run result, diff, status (its owner and operators may read it)')
  get(@UuidParam() id: string, @Caller() caller: Principal): Promise<ProposalDto> {
    return this.proposals.get(id, caller);
  }

  @Post(':id/approve')
  @Owned(
    'Apply a proposed change, if its target has not changed since (resourceVersion); audited with the session id',
    {
      role: 'operator',
      errors: [
        ...DECIDE_ERRORS,
        'K8S_CONFLICT',
        'K8S_FORBIDDEN',
        'K8S_NOT_FOUND',
        'K8S_INVALID',
        'CLUSTER_UNREACHABLE',
        'CLUSTER_TIMEOUT',
      ],
    },
  )
  approve(@UuidParam() id: string, @Caller() caller: Principal): Promise<ProposalDto> {
    return this.proposals.approve(id, caller);
  }

  @Post(':id/reject')
  @Owned('Reject a proposed change (its owner or an operator); it can no longer be applied', {
    errors: DECIDE_ERRORS,
  })
  reject(@UuidParam() id: string, @Caller() caller: Principal): Promise<ProposalDto> {
    return this.proposals.reject(id, caller);
  }
}
