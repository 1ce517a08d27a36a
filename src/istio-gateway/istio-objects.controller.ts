import { Body, Controller, Delete, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ClusterIdPipe } from '../cluster-registry/cluster-id.pipe';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { ObjectNamePipe } from '../common/resource-ref.pipe';
import {
  DestinationRuleBodyDto,
  GatewayBodyDto,
  IstioCreateQueryDto,
  IstioDeleteQueryDto,
  IstioWriteQueryDto,
  IstioWriteResultDto,
  MeshListQueryDto,
  MeshObjectDto,
  MeshObjectListDto,
  MeshObjectQueryDto,
  VirtualServiceBodyDto,
} from './istio-object.dto';
import { IstioObjectsService } from './istio-objects.service';
import { IstioKindPipe } from './mesh-kind.pipe';
import type { MeshKind } from './mesh-kinds';
import { ISTIO_KINDS } from './mesh-kinds';

const READ: ErrorCode[] = [
  'VALIDATION_FAILED',
  'ROUTE_NOT_FOUND',
  'ISTIO_NOT_INSTALLED',
  'CLUSTER_NOT_FOUND',
  'CLUSTER_UNREACHABLE',
  'CLUSTER_TIMEOUT',
  'CLUSTER_AUTH_FAILED',
  'K8S_FORBIDDEN',
  'K8S_NOT_FOUND',
  'K8S_THROTTLED',
];
const WRITE: ErrorCode[] = [...READ, 'K8S_CONFLICT', 'K8S_INVALID'];
const dry = (q: { dryRun?: 'true' | 'false' }) => q.dryRun === 'true';
const KIND_PARAM = ApiParam({ name: 'kind', enum: ISTIO_KINDS.map((k) => k.segment) });
const BODY = ApiBody({
  description: 'The object; fields beyond the typed ones are kept as sent',
  schema: {
    oneOf: [GatewayBodyDto, VirtualServiceBodyDto, DestinationRuleBodyDto].map((d) => ({
      $ref: getSchemaPath(d),
    })),
  },
});
type RawObject = Record<string, unknown>;

@ApiTags('istio')
@ApiExtraModels(GatewayBodyDto, VirtualServiceBodyDto, DestinationRuleBodyDto)
@Controller('api/v1/clusters/:clusterId/istio')
export class IstioObjectsController {
  constructor(private readonly objects: IstioObjectsService) {}

  @Get(':kind')
  @KIND_PARAM
  @ApiEndpoint({
    summary:
      'List Istio Gateways, VirtualServices or DestinationRules (namespace, labelSelector, paged)',
    response: MeshObjectListDto,
    errors: [...READ, 'K8S_INVALID'],
  })
  list(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('kind', IstioKindPipe) kind: MeshKind,
    @Query() q: MeshListQueryDto,
  ): Promise<MeshObjectListDto> {
    return this.objects.list(clusterId, kind, q);
  }

  @Get(':kind/:name')
  @KIND_PARAM
  @ApiEndpoint({
    summary: 'One Istio object with its validation findings inline (validate=false skips them)',
    response: MeshObjectDto,
    errors: READ,
  })
  get(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('kind', IstioKindPipe) kind: MeshKind,
    @Param('name', ObjectNamePipe) name: string,
    @Query() q: MeshObjectQueryDto,
  ): Promise<MeshObjectDto> {
    return this.objects.get(clusterId, kind, name, q, true);
  }

  @Post(':kind')
  @KIND_PARAM
  @BODY
  @ApiEndpoint({
    summary: 'Create an Istio object (dryRun=true: validate only, store nothing)',
    role: 'operator',
    status: 201,
    response: IstioWriteResultDto,
    errors: WRITE,
  })
  create(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('kind', IstioKindPipe) kind: MeshKind,
    @Query() q: IstioCreateQueryDto,
    @Body() body: RawObject,
  ): Promise<IstioWriteResultDto> {
    return this.objects.create(clusterId, kind, body, q.namespace, dry(q));
  }

  @Put(':kind/:name')
  @KIND_PARAM
  @BODY
  @ApiEndpoint({
    summary:
      'Replace an Istio object; metadata.resourceVersion makes it conditional (409 if stale)',
    role: 'operator',
    response: IstioWriteResultDto,
    errors: WRITE,
  })
  replace(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('kind', IstioKindPipe) kind: MeshKind,
    @Param('name', ObjectNamePipe) name: string,
    @Query() q: IstioWriteQueryDto,
    @Body() body: RawObject,
  ): Promise<IstioWriteResultDto> {
    return this.objects.replace(clusterId, kind, name, body, q.namespace, dry(q));
  }

  @Patch(':kind/:name')
  @KIND_PARAM
  @ApiBody({
    description:
      'A JSON merge patch (application/merge-patch+json or application/json); metadata.resourceVersion makes it conditional',
    schema: { type: 'object' },
  })
  @ApiEndpoint({
    summary: 'Merge-patch an Istio object; the patched result is validated before it is sent',
    role: 'operator',
    response: IstioWriteResultDto,
    errors: WRITE,
  })
  patch(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('kind', IstioKindPipe) kind: MeshKind,
    @Param('name', ObjectNamePipe) name: string,
    @Query() q: IstioWriteQueryDto,
    @Body() body: RawObject,
  ): Promise<IstioWriteResultDto> {
    return this.objects.patch(clusterId, kind, name, body, q.namespace, dry(q));
  }

  @Delete(':kind/:name')
  @KIND_PARAM
  @ApiEndpoint({
    summary:
      'Delete an Istio object (resourceVersion: only that version; dryRun=true: store nothing)',
    role: 'operator',
    response: IstioWriteResultDto,
    errors: WRITE,
  })
  remove(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('kind', IstioKindPipe) kind: MeshKind,
    @Param('name', ObjectNamePipe) name: string,
    @Query() q: IstioDeleteQueryDto,
  ): Promise<IstioWriteResultDto> {
    return this.objects.remove(clusterId, kind, name, q, dry(q));
  }
}
