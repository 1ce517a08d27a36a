import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterIdPipe } from '../cluster-registry/cluster-id.pipe';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { HistoryQueryDto, HistoryResponseDto } from './history.dto';
import { HistoryService } from './history.service';

@ApiTags('history')
@Controller('api/v1/clusters/:clusterId/history')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get()
  @ApiEndpoint({
    summary:
      'Stored per-tick samples of a cluster, namespace, node, node pool, restarting workload or HPA (sampled by the leader replica)',
    response: HistoryResponseDto,
    errors: ['VALIDATION_FAILED', 'CLUSTER_NOT_FOUND'],
  })
  get(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Query() query: HistoryQueryDto,
  ): Promise<HistoryResponseDto> {
    return this.history.get(clusterId, query);
  }
}
