import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { ListQueryDto, ObjectQueryDto, ResourceListDto, ServedResourceDto } from './resources.dto';
import { ResourcesService } from './resources.service';
import { ClusterIdParam, KindParam, NameParam } from '../common/route-params.decorator';

const CLUSTER_ERRORS: ErrorCode[] = ['K8S_THROTTLED'];

@ApiTags('resources')
@Controller('api/v1/clusters/:clusterId/resources')
export class ResourcesController {
  constructor(private readonly resources: ResourcesService) {}

  @Get()
  @ClusterEndpoint({
    access: 'cluster',
    live: true,
    summary: 'The kinds this cluster serves (discovery), CRDs included',
    response: ServedResourceDto,
    isArray: true,
    errors: CLUSTER_ERRORS,
  })
  kinds(@ClusterIdParam() clusterId: string): Promise<ServedResourceDto[]> {
    return this.resources.kinds(clusterId);
  }

  @Get(':kind')
  @ClusterEndpoint({
    access: 'cluster',
    live: true,
    summary:
      'List objects of a kind (plural, kind or plural.group); pages through the API server continue token',
    response: ResourceListDto,
    errors: [...CLUSTER_ERRORS, 'K8S_NOT_FOUND', 'K8S_INVALID', 'METHOD_NOT_ALLOWED'],
  })
  list(
    @ClusterIdParam() clusterId: string,
    @KindParam() kind: string,
    @Query() query: ListQueryDto,
  ): Promise<ResourceListDto> {
    return this.resources.list(clusterId, kind, query);
  }

  @Get(':kind/:name')
  @ClusterEndpoint({
    access: 'namespaced',
    live: true,
    summary: 'Get one object; Secrets show metadata, type and key names only',
    errors: [...CLUSTER_ERRORS, 'K8S_NOT_FOUND', 'METHOD_NOT_ALLOWED'],
  })
  get(
    @ClusterIdParam() clusterId: string,
    @KindParam() kind: string,
    @NameParam() name: string,
    @Query() query: ObjectQueryDto,
  ): Promise<Record<string, unknown>> {
    return this.resources.get(clusterId, kind, name, query);
  }
}
