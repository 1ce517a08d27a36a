import { Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import type { Principal } from '../common/request-context';
import { PathParams } from '../common/route-params.decorator';
import { FindingPathDto } from '../common/object-path.dto';
import { Caller } from '../common/caller.decorator';
import { ProposalDto } from './llm.dto';
import { RollbackProposals } from './proposals/rollback-proposals';

@ApiTags('changes')
@Controller('api/v1/clusters/:clusterId/diagnostics')
export class RollbackController {
  constructor(private readonly rollbacks: RollbackProposals) {}

  @Post(':findingId/rollback')
  @ClusterEndpoint({
    // A finding id does not say its namespace, and the rollback acts on whatever it names.
    access: 'cluster-wide',
    summary:
      "Propose returning the Deployment of a finding's top suspect (a template change) to its previous revision: dry run and diff now, applied only on an operator's approval",
    response: ProposalDto,
    status: 201,
    errors: [
      'FINDING_NOT_FOUND',
      'ROLLBACK_NOT_APPLICABLE',
      'K8S_NOT_FOUND',
      'CLUSTER_UNREACHABLE',
      'CLUSTER_TIMEOUT',
    ],
  })
  propose(@PathParams() at: FindingPathDto, @Caller() caller: Principal): Promise<ProposalDto> {
    return this.rollbacks.forFinding(at.clusterId, at.findingId, caller);
  }
}
