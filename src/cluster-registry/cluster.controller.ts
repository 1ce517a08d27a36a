import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { ClusterDirectory } from './cluster-directory';
import {
  ClusterResponseDto,
  ClusterTestResponseDto,
  CreateClusterDto,
  ImportKubeconfigDto,
  RegisterQueryDto,
  UpdateClusterDto,
} from './cluster.dto';
import { ClusterIdParam } from '../common/route-params.decorator';

const CONNECTION_ERRORS: ErrorCode[] = [
  'CLUSTER_UNREACHABLE',
  'CLUSTER_TIMEOUT',
  'CLUSTER_AUTH_FAILED',
  'CLUSTER_ERROR',
  'K8S_FORBIDDEN',
];
const WRITE_ERRORS: ErrorCode[] = ['VALIDATION_FAILED', 'NOT_AVAILABLE_IN_INSTANT_MODE'];

@ApiTags('clusters')
@Controller('api/v1/clusters')
export class ClusterController {
  constructor(private readonly clusters: ClusterDirectory) {}

  @Post()
  @ApiEndpoint({
    access: 'installation',
    summary:
      'Register a cluster from a kubeconfig or fields (tests the connection first unless skipTest=true)',
    role: 'admin',
    status: 201,
    response: ClusterResponseDto,
    errors: [...WRITE_ERRORS, 'CLUSTER_NAME_TAKEN', ...CONNECTION_ERRORS],
    errorFamilies: ['connection'],
  })
  create(
    @Body() dto: CreateClusterDto,
    @Query() query: RegisterQueryDto,
  ): Promise<ClusterResponseDto> {
    return this.clusters.create(dto, query.skipTest === true);
  }

  @Post('import')
  @ApiEndpoint({
    access: 'installation',
    summary:
      'Register every context of a kubeconfig (or those listed) as one cluster each, all or none',
    role: 'admin',
    status: 201,
    response: ClusterResponseDto,
    isArray: true,
    errors: [...WRITE_ERRORS, 'CLUSTER_NAME_TAKEN', ...CONNECTION_ERRORS],
    errorFamilies: ['connection'],
  })
  importKubeconfig(
    @Body() dto: ImportKubeconfigDto,
    @Query() query: RegisterQueryDto,
  ): Promise<ClusterResponseDto[]> {
    return this.clusters.importKubeconfig(dto, query.skipTest === true);
  }

  @Get()
  @ApiEndpoint({
    access: 'fleet',
    summary: 'List clusters (never their credentials)',
    response: ClusterResponseDto,
    isArray: true,
  })
  list(): Promise<ClusterResponseDto[]> {
    return this.clusters.list();
  }

  @Get(':clusterId')
  @ClusterEndpoint({
    access: 'cluster',
    summary: 'Get a cluster by id or name',
    response: ClusterResponseDto,
  })
  get(@ClusterIdParam() clusterId: string): Promise<ClusterResponseDto> {
    return this.clusters.get(clusterId);
  }

  @Patch(':clusterId')
  @ClusterEndpoint({
    access: 'cluster-wide',
    summary: 'Change display name, description, labels or the connection',
    role: 'admin',
    response: ClusterResponseDto,
    errors: [...WRITE_ERRORS, 'CLUSTER_NAME_TAKEN', ...CONNECTION_ERRORS],
    errorFamilies: ['connection'],
  })
  update(
    @ClusterIdParam() clusterId: string,
    @Body() dto: UpdateClusterDto,
  ): Promise<ClusterResponseDto> {
    return this.clusters.update(clusterId, dto);
  }

  @Delete(':clusterId')
  @ClusterEndpoint({
    access: 'cluster-wide',
    summary: 'Remove a cluster and its stored credential',
    role: 'admin',
    errors: WRITE_ERRORS,
  })
  remove(@ClusterIdParam() clusterId: string): Promise<void> {
    return this.clusters.remove(clusterId);
  }

  @Post(':clusterId/test')
  @ClusterEndpoint({
    access: 'cluster',
    summary: 'Test reachability, read the Kubernetes version and what CloudPilot may do there',
    response: ClusterTestResponseDto,
    errors: CONNECTION_ERRORS,
  })
  test(@ClusterIdParam() clusterId: string): Promise<ClusterTestResponseDto> {
    return this.clusters.test(clusterId);
  }

  @Post(':clusterId/default')
  @ClusterEndpoint({
    access: 'cluster-wide',
    summary: 'Make this the default cluster',
    role: 'admin',
    response: ClusterResponseDto,
    errors: WRITE_ERRORS,
  })
  setDefault(@ClusterIdParam() clusterId: string): Promise<ClusterResponseDto> {
    return this.clusters.setDefault(clusterId);
  }
}
