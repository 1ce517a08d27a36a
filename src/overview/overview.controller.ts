import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import {
  FleetOverviewDto,
  NamespaceListDto,
  NodeDetailDto,
  NodeListDto,
  ResourceOverviewDto,
} from './overview.dto';
import { OverviewService } from './overview.service';
import { ClusterIdParam, NameParam } from '../common/route-params.decorator';

// The live cache's first sync asks the API server: its failures, and any other it relays.
const ERRORS: ErrorCode[] = ['CLUSTER_ERROR'];

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
  @ClusterEndpoint({
    access: 'cluster-wide',
    live: true,
    summary:
      'ResourceOverview from the live cache: nodes, counts, pod phases, CPU and memory, cache state per kind',
    response: ResourceOverviewDto,
    errors: ERRORS,
  })
  overview(@ClusterIdParam() clusterId: string): Promise<ResourceOverviewDto> {
    return this.overviews.overview(clusterId);
  }

  @Get('clusters/:clusterId/namespaces')
  @ClusterEndpoint({
    access: 'namespaces',
    live: true,
    summary: 'Every namespace with its pods by phase, workload counts and request/limit sums',
    response: NamespaceListDto,
    errors: ERRORS,
  })
  namespaces(@ClusterIdParam() clusterId: string): Promise<NamespaceListDto> {
    return this.overviews.namespaces(clusterId);
  }

  @Get('clusters/:clusterId/nodes')
  @ClusterEndpoint({
    access: 'cluster-wide',
    live: true,
    summary: 'Every node with status, capacity, allocatable and what its pods reserve',
    response: NodeListDto,
    errors: ERRORS,
  })
  nodes(@ClusterIdParam() clusterId: string): Promise<NodeListDto> {
    return this.overviews.nodes(clusterId);
  }

  @Get('clusters/:clusterId/nodes/:name')
  @ClusterEndpoint({
    access: 'cluster-wide',
    live: true,
    summary: 'One node in detail: conditions, taints, addresses, allocated requests and limits',
    response: NodeDetailDto,
    errors: [...ERRORS, 'K8S_NOT_FOUND'],
  })
  node(@ClusterIdParam() clusterId: string, @NameParam() name: string): Promise<NodeDetailDto> {
    return this.overviews.node(clusterId, name);
  }
}
