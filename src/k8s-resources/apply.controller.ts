import { Body, Controller, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ApplyDto, ApplyQueryDto, ApplyResultDto } from './apply.dto';
import { ApplyService } from './apply.service';
import { ClusterIdParam } from '../common/route-params.decorator';

@ApiTags('actions')
@Controller('api/v1/clusters/:clusterId/apply')
export class ApplyController {
  constructor(private readonly applier: ApplyService) {}

  @Post()
  @ClusterEndpoint({
    access: 'cluster-wide',
    live: true,
    summary:
      'Server-side apply of one or several YAML documents (field manager cloudpilot); dryRun=true returns what would be stored and a diff',
    role: 'operator',
    response: ApplyResultDto,
    errors: ['K8S_NOT_FOUND', 'K8S_CONFLICT', 'K8S_INVALID'],
  })
  apply(
    @ClusterIdParam() clusterId: string,
    @Query() query: ApplyQueryDto,
    @Body() dto: ApplyDto,
  ): Promise<ApplyResultDto> {
    const options = { dryRun: query.dryRun === true, force: dto.force === true };
    return this.applier.apply(clusterId, dto.manifest, query.namespace, options);
  }
}
