import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ClusterIdParam } from '../common/route-params.decorator';
import { BehaviourStatusDto } from './behaviour.dto';
import { BehaviourStatusService } from './behaviour-status.service';

@ApiTags('diagnostics')
@Controller('api/v1/clusters/:clusterId/behaviour')
export class BehaviourController {
  constructor(private readonly statuses: BehaviourStatusService) {}

  @Get()
  @ClusterEndpoint({
    // A cluster aggregate: the codes it raised name workloads of every namespace.
    access: 'cluster-wide',
    summary:
      "The cluster's last behaviour evaluation: Prometheus's state (an error comes back as data), the PromQL queries it sent (constant in the number of services) and the behaviour findings it raised",
    response: BehaviourStatusDto,
  })
  get(@ClusterIdParam() clusterId: string): Promise<BehaviourStatusDto> {
    return this.statuses.get(clusterId);
  }
}
