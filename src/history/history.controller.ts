import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { HistoryQueryDto, HistoryResponseDto } from './history.dto';
import { HistoryService } from './history.service';
import { ClusterIdParam } from '../common/route-params.decorator';

@ApiTags('history')
@Controller('api/v1/clusters/:clusterId/history')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get()
  @ClusterEndpoint({
    access: 'cluster-wide',
    summary:
      'Stored per-tick samples of a cluster, namespace, node, node pool, restarting workload or HPA (sampled by the leader replica)',
    response: HistoryResponseDto,
  })
  get(
    @ClusterIdParam() clusterId: string,
    @Query() query: HistoryQueryDto,
  ): Promise<HistoryResponseDto> {
    return this.history.get(clusterId, query);
  }
}
