import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterIdPipe } from '../cluster-registry/cluster-id.pipe';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { ObjectNamePipe } from '../common/resource-ref.pipe';
import {
  FleetOverviewDto,
  NamespaceListDto,
  NodeDetailDto,
  NodeListDto,
  ResourceOverviewDto,
} from './overview.dto';
import { OverviewService } from './overview.service';

const ERRORS: ErrorCode[] = [
  'VALIDATION_FAILED',
  'CLUSTER_NOT_FOUND',
  'CLUSTER_UNREACHABLE',
  'CLUSTER_TIMEOUT',
  'CLUSTER_AUTH_FAILED',
  'CLUSTER_ERROR',
  'K8S_FORBIDDEN',
];

@ApiTags('overview')
@Controller('api/v1')
export class OverviewController {
  constructor(private readonly overviews: OverviewService) {}

  @Get('overview')
  @ApiEndpoint({
    summary:
      'Fleet overview: one entry per cluster, its overview or its error, within a per-cluster deadline',
    response: FleetOverviewDto,
  })
  fleet(): Promise<FleetOverviewDto> {
    return this.overviews.fleet();
  }

  @Get('clusters/:clusterId/overview')
  @ApiEndpoint({
    summary:
      'ResourceOverview from the live cache: nodes, counts, pod phases, CPU and memory, cache state per kind',
    response: ResourceOverviewDto,
    errors: ERRORS,
  })
  overview(@Param('clusterId', ClusterIdPipe) clusterId: string): Promise<ResourceOverviewDto> {
    return this.overviews.overview(clusterId);
  }

  @Get('clusters/:clusterId/namespaces')
  @ApiEndpoint({
    summary: 'Every namespace with its pods by phase, workload counts and request/limit sums',
    response: NamespaceListDto,
    errors: ERRORS,
  })
  namespaces(@Param('clusterId', ClusterIdPipe) clusterId: string): Promise<NamespaceListDto> {
    return this.overviews.namespaces(clusterId);
  }

  @Get('clusters/:clusterId/nodes')
  @ApiEndpoint({
    summary: 'Every node with status, capacity, allocatable and what its pods reserve',
    response: NodeListDto,
    errors: ERRORS,
  })
  nodes(@Param('clusterId', ClusterIdPipe) clusterId: string): Promise<NodeListDto> {
    return this.overviews.nodes(clusterId);
  }

  @Get('clusters/:clusterId/nodes/:name')
  @ApiEndpoint({
    summary: 'One node in detail: conditions, taints, addresses, allocated requests and limits',
    response: NodeDetailDto,
    errors: [...ERRORS, 'K8S_NOT_FOUND'],
  })
  node(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('name', ObjectNamePipe) name: string,
  ): Promise<NodeDetailDto> {
    return this.overviews.node(clusterId, name);
  }
}
