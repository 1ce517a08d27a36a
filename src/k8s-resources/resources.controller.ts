import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { ListQueryDto, ObjectQueryDto, ResourceListDto, ServedResourceDto } from './resources.dto';
import { ResourcesService } from './resources.service';
import { ClusterIdParam, PathParams } from '../common/route-params.decorator';
import { KindPathDto, ObjectPathDto } from '../common/object-path.dto';

const CLUSTER_ERRORS: ErrorCode[] = ['K8S_THROTTLED'];
const Live = ClusterEndpoint.with({ live: true, errors: CLUSTER_ERRORS });

@ApiTags('resources')
@Controller('api/v1/clusters/:clusterId/resources')
export class ResourcesController {
  constructor(private readonly resources: ResourcesService) {}

  @Get()
  @Live('The kinds this cluster serves (discovery), CRDs included', {
    access: 'cluster',
    response: ServedResourceDto,
    isArray: true,
  })
  kinds(@ClusterIdParam() clusterId: string): Promise<ServedResourceDto[]> {
    return this.resources.kinds(clusterId);
  }

  @Get(':kind')
  @Live(
    'List objects of a kind (plural, kind or plural.group); pages through the API server continue token',
    {
      access: 'cluster',
      response: ResourceListDto,
      errors: ['K8S_NOT_FOUND', 'K8S_INVALID', 'METHOD_NOT_ALLOWED'],
    },
  )
  list(@PathParams() at: KindPathDto, @Query() query: ListQueryDto): Promise<ResourceListDto> {
    return this.resources.list(at.clusterId, at.kind, query);
  }

  @Get(':kind/:name')
  @Live('Get one object; Secrets show metadata, type and key names only', {
    access: 'namespaced',
    errors: ['K8S_NOT_FOUND', 'METHOD_NOT_ALLOWED'],
  })
  get(
    @PathParams() at: ObjectPathDto,
    @Query() query: ObjectQueryDto,
  ): Promise<Record<string, unknown>> {
    return this.resources.get(at.clusterId, at.kind, at.name, query);
  }
}
