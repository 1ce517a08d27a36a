import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ForecastListDto, ForecastQueryDto } from './forecasts.dto';
import { ForecastsService } from './forecasts.service';
import { ClusterIdParam } from '../common/route-params.decorator';

@ApiTags('forecasts')
@Controller('api/v1/clusters/:clusterId/forecasts')
export class ForecastsController {
  constructor(private readonly forecasts: ForecastsService) {}

  @Get()
  @ClusterEndpoint({
    access: 'cluster',
    summary:
      'When requests and pods reach capacity (cluster, node pools), workload restarts a crash-loop rate and HPAs their maxReplicas, from the stored history; usage reaching allocatable (cluster, nodes), working sets their memory limits and volumes their fill line, from Prometheus (its state as data); with the points used',
    response: ForecastListDto,
  })
  list(
    @ClusterIdParam() clusterId: string,
    @Query() query: ForecastQueryDto,
  ): Promise<ForecastListDto> {
    return this.forecasts.list(clusterId, query);
  }
}
