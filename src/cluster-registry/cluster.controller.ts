import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ClusterEndpoint, EndpointSpec } from '../common/api-endpoint.decorator';
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
const SAVE_ERRORS: ErrorCode[] = ['CLUSTER_NAME_TAKEN', ...CONNECTION_ERRORS];
/**
 * A write that saves a connection (a registration, or a change that may replace it): tested
 * first, and answered with the saved cluster.
 */
const SAVING = {
  role: 'admin',
  response: ClusterResponseDto,
  errors: [...WRITE_ERRORS, ...SAVE_ERRORS],
  errorFamilies: ['connection'],
} satisfies Partial<EndpointSpec>;
const Register = ApiEndpoint.with({ ...SAVING, access: 'installation', status: 201 });
const Save = ClusterEndpoint.with({ ...SAVING, access: 'cluster-wide' });
const Admin = ClusterEndpoint.with({ access: 'cluster-wide', role: 'admin', errors: WRITE_ERRORS });
const Viewer = ClusterEndpoint.with({ access: 'cluster' });

@ApiTags('clusters')
@Controller('api/v1/clusters')
export class ClusterController {
  constructor(private readonly clusters: ClusterDirectory) {}

  @Post()
  @Register(
    'Register a cluster from a kubeconfig or fields (tests the connection first unless skipTest=true)',
  )
  create(
    @Body() dto: CreateClusterDto,
    @Query() query: RegisterQueryDto,
  ): Promise<ClusterResponseDto> {
    return this.clusters.create(dto, query.skipTest === true);
  }

  @Post('import')
  @Register(
    'Register every context of a kubeconfig (or those listed) as one cluster each, all or none',
    { isArray: true },
  )
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
  @Viewer('Get a cluster by id or name', { response: ClusterResponseDto })
  get(@ClusterIdParam() clusterId: string): Promise<ClusterResponseDto> {
    return this.clusters.get(clusterId);
  }

  @Patch(':clusterId')
  @Save('Change display name, description, labels or the connection')
  update(
    @ClusterIdParam() clusterId: string,
    @Body() dto: UpdateClusterDto,
  ): Promise<ClusterResponseDto> {
    return this.clusters.update(clusterId, dto);
  }

  @Delete(':clusterId')
  @Admin('Remove a cluster and its stored credential')
  remove(@ClusterIdParam() clusterId: string): Promise<void> {
    return this.clusters.remove(clusterId);
  }

  @Post(':clusterId/test')
  @Viewer('Test reachability, read the Kubernetes version and what CloudPilot may do there', {
    response: ClusterTestResponseDto,
    errors: CONNECTION_ERRORS,
  })
  test(@ClusterIdParam() clusterId: string): Promise<ClusterTestResponseDto> {
    return this.clusters.test(clusterId);
  }

  @Post(':clusterId/default')
  @Admin('Make this the default cluster', { response: ClusterResponseDto })
  setDefault(@ClusterIdParam() clusterId: string): Promise<ClusterResponseDto> {
    return this.clusters.setDefault(clusterId);
  }
}
