import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterIdPipe } from '../cluster-registry/cluster-id.pipe';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { KindRefPipe, ObjectNamePipe } from '../common/resource-ref.pipe';
import { ListQueryDto, ObjectQueryDto, ResourceListDto, ServedResourceDto } from './resources.dto';
import { ResourcesService } from './resources.service';

const CLUSTER_ERRORS: ErrorCode[] = [
  'VALIDATION_FAILED',
  'CLUSTER_NOT_FOUND',
  'CLUSTER_UNREACHABLE',
  'CLUSTER_TIMEOUT',
  'CLUSTER_AUTH_FAILED',
  'K8S_FORBIDDEN',
  'K8S_THROTTLED',
];

@ApiTags('resources')
@Controller('api/v1/clusters/:clusterId/resources')
export class ResourcesController {
  constructor(private readonly resources: ResourcesService) {}

  @Get()
  @ApiEndpoint({
    summary: 'The kinds this cluster serves (discovery), CRDs included',
    response: ServedResourceDto,
    isArray: true,
    errors: CLUSTER_ERRORS,
  })
  kinds(@Param('clusterId', ClusterIdPipe) clusterId: string): Promise<ServedResourceDto[]> {
    return this.resources.kinds(clusterId);
  }

  @Get(':kind')
  @ApiEndpoint({
    summary:
      'List objects of a kind (plural, kind or plural.group); pages through the API server continue token',
    response: ResourceListDto,
    errors: [...CLUSTER_ERRORS, 'K8S_NOT_FOUND', 'K8S_INVALID', 'METHOD_NOT_ALLOWED'],
  })
  list(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('kind', KindRefPipe) kind: string,
    @Query() query: ListQueryDto,
  ): Promise<ResourceListDto> {
    return this.resources.list(clusterId, kind, query);
  }

  @Get(':kind/:name')
  @ApiEndpoint({
    summary: 'Get one object; Secrets show metadata, type and key names only',
    errors: [...CLUSTER_ERRORS, 'K8S_NOT_FOUND', 'METHOD_NOT_ALLOWED'],
  })
  get(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('kind', KindRefPipe) kind: string,
    @Param('name', ObjectNamePipe) name: string,
    @Query() query: ObjectQueryDto,
  ): Promise<Record<string, unknown>> {
    return this.resources.get(clusterId, kind, name, query);
  }
}
