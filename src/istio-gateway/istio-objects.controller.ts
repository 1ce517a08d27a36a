import { Body, Controller, Delete, Get, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import {
  DestinationRuleBodyDto,
  GatewayBodyDto,
  IstioCreateQueryDto,
  IstioDeleteQueryDto,
  IstioWriteQueryDto,
  IstioWriteResultDto,
  ISTIO_BODIES,
  MeshListQueryDto,
  MeshObjectDto,
  MeshObjectListDto,
  MeshObjectQueryDto,
  VirtualServiceBodyDto,
} from './istio-object.dto';
import { IstioObjectsService } from './istio-objects.service';
import { IstioPath, MeshKindPath, MeshObjectPath } from './mesh-kind.pipe';

const READ: ErrorCode[] = [
  'ROUTE_NOT_FOUND',
  'ISTIO_NOT_INSTALLED',
  'K8S_NOT_FOUND',
  'K8S_THROTTLED',
];
const WRITE: ErrorCode[] = [...READ, 'K8S_CONFLICT', 'K8S_INVALID'];
const dry = (q: { dryRun?: boolean }) => q.dryRun === true;
// One operation serves the three kinds, so the body is keyed by its kind; it must be the route's.
const BODY = ApiBody({
  description:
    "The object, of the route's kind (gateways: Gateway, virtual-services: VirtualService, " +
    'destination-rules: DestinationRule; kind may be left out); fields beyond the typed ones are kept as sent',
  schema: {
    oneOf: Object.values(ISTIO_BODIES).map((d) => ({ $ref: getSchemaPath(d) })),
    discriminator: {
      propertyName: 'kind',
      mapping: Object.fromEntries(
        Object.entries(ISTIO_BODIES).map(([kind, d]) => [kind, getSchemaPath(d)]),
      ),
    },
  },
});
type RawObject = Record<string, unknown>;
const Read = ClusterEndpoint.with({ live: true, errors: READ });
const Write = ClusterEndpoint.with({
  access: 'namespaced',
  live: true,
  role: 'operator',
  response: IstioWriteResultDto,
  errors: WRITE,
});

@ApiTags('istio')
@ApiExtraModels(GatewayBodyDto, VirtualServiceBodyDto, DestinationRuleBodyDto)
@Controller('api/v1/clusters/:clusterId/istio')
export class IstioObjectsController {
  constructor(private readonly objects: IstioObjectsService) {}

  @Get(':kind')
  @Read(
    'List Istio Gateways, VirtualServices or DestinationRules (namespace, labelSelector, paged)',
    { access: 'cluster', response: MeshObjectListDto, errors: ['K8S_INVALID'] },
  )
  list(@IstioPath() at: MeshKindPath, @Query() q: MeshListQueryDto): Promise<MeshObjectListDto> {
    return this.objects.list(at.clusterId, at.kind, q);
  }

  @Get(':kind/:name')
  @Read('One Istio object with its validation findings inline (validate=false skips them)', {
    access: 'namespaced',
    response: MeshObjectDto,
  })
  get(@IstioPath() at: MeshObjectPath, @Query() q: MeshObjectQueryDto): Promise<MeshObjectDto> {
    return this.objects.get(at.clusterId, at.kind, at.name, q, true);
  }

  @Post(':kind')
  @BODY
  @Write('Create an Istio object (dryRun=true: validate only, store nothing)', { status: 201 })
  create(
    @IstioPath() at: MeshKindPath,
    @Query() q: IstioCreateQueryDto,
    @Body() body: RawObject,
  ): Promise<IstioWriteResultDto> {
    return this.objects.create(at.clusterId, at.kind, body, q.namespace, dry(q));
  }

  @Put(':kind/:name')
  @BODY
  @Write('Replace an Istio object; metadata.resourceVersion makes it conditional (409 if stale)')
  replace(
    @IstioPath() at: MeshObjectPath,
    @Query() q: IstioWriteQueryDto,
    @Body() body: RawObject,
  ): Promise<IstioWriteResultDto> {
    return this.objects.replace(at.clusterId, at.kind, at.name, body, q.namespace, dry(q));
  }

  @Patch(':kind/:name')
  @ApiBody({
    description:
      'A JSON merge patch (application/merge-patch+json or application/json); metadata.resourceVersion makes it conditional',
    schema: { type: 'object' },
  })
  @Write('Merge-patch an Istio object; the patched result is validated before it is sent')
  patch(
    @IstioPath() at: MeshObjectPath,
    @Query() q: IstioWriteQueryDto,
    @Body() body: RawObject,
  ): Promise<IstioWriteResultDto> {
    return this.objects.patch(at.clusterId, at.kind, at.name, body, q.namespace, dry(q));
  }

  @Delete(':kind/:name')
  @Write('Delete an Istio object (resourceVersion: only that version; dryRun=true: store nothing)')
  remove(
    @IstioPath() at: MeshObjectPath,
    @Query() q: IstioDeleteQueryDto,
  ): Promise<IstioWriteResultDto> {
    return this.objects.remove(at.clusterId, at.kind, at.name, q, dry(q));
  }
}
