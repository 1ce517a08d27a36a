import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ClusterEndpoint } from '../common/api-endpoint.decorator';
import {
  FleetOverviewDto,
  NamespaceListDto,
  NodeDetailDto,
  NodeListDto,
  ResourceOverviewDto,
} from './overview.dto';
import { OverviewService } from './overview.service';
import { ClusterIdParam, PathParams } from '../common/route-params.decorator';
import { NamedPathDto } from '../common/object-path.dto';
import { SerializedAnswer } from '../common/serialized-answer';

// The live cache's first sync asks the API server: its failures, and any other it relays.
const Live = ClusterEndpoint.with({
  access: 'cluster-wide',
  live: true,
  errors: ['CLUSTER_ERROR'],
});

@ApiTags('overview')
@Controller('api/v1')
export class OverviewController {
  constructor(private readonly overviews: OverviewService) {}

  @Get('overview')
  @ApiEndpoint({
    access: 'fleet',
    summary:
      'Fleet overview: one entry per cluster, its overview or its error, within a per-cluster deadline',
    response: FleetOverviewDto,
  })
  fleet(): Promise<FleetOverviewDto> {
    return this.overviews.fleet();
  }

  @Get('clusters/:clusterId/overview')
  @Live(
    'ResourceOverview from the live cache: nodes, counts, pod phases, CPU and memory, cache state per kind',
    { response: ResourceOverviewDto },
  )
  overview(@ClusterIdParam() clusterId: string): Promise<SerializedAnswer<ResourceOverviewDto>> {
    return this.overviews.overviewAnswer(clusterId);
  }

  @Get('clusters/:clusterId/namespaces')
  @Live('Every namespace with its pods by phase, workload counts and request/limit sums', {
    access: 'namespaces',
    response: NamespaceListDto,
  })
  namespaces(@ClusterIdParam() clusterId: string): Promise<NamespaceListDto> {
    return this.overviews.namespaces(clusterId);
  }

  @Get('clusters/:clusterId/nodes')
  @Live('Every node with status, capacity, allocatable and what its pods reserve', {
    response: NodeListDto,
  })
  nodes(@ClusterIdParam() clusterId: string): Promise<NodeListDto> {
    return this.overviews.nodes(clusterId);
  }

  @Get('clusters/:clusterId/nodes/:name')
  @Live('One node in detail: conditions, taints, addresses, allocated requests and limits', {
    response: NodeDetailDto,
    errors: ['K8S_NOT_FOUND'],
  })
  node(@PathParams() at: NamedPathDto): Promise<NodeDetailDto> {
    return this.overviews.node(at.clusterId, at.name);
  }
}
