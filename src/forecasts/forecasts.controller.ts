import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterIdPipe } from '../cluster-registry/cluster-id.pipe';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { ForecastListDto, ForecastQueryDto } from './forecasts.dto';
import { ForecastsService } from './forecasts.service';

@ApiTags('forecasts')
@Controller('api/v1/clusters/:clusterId/forecasts')
export class ForecastsController {
  constructor(private readonly forecasts: ForecastsService) {}

  @Get()
  @ApiEndpoint({
    summary:
      'When requests and pods reach capacity (cluster, node pools), workload restarts a crash-loop rate and HPAs their maxReplicas, from the stored history, with the points used',
    response: ForecastListDto,
    errors: ['VALIDATION_FAILED', 'CLUSTER_NOT_FOUND'],
  })
  list(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Query() query: ForecastQueryDto,
  ): Promise<ForecastListDto> {
    return this.forecasts.list(clusterId, query);
  }
}
