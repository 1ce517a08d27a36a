import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { ClusterIdPipe } from '../cluster-registry/cluster-id.pipe';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { ObjectNamePipe } from '../common/resource-ref.pipe';
import {
  MeshListQueryDto,
  MeshObjectDto,
  MeshObjectListDto,
  MeshObjectQueryDto,
} from './istio-object.dto';
import { IstioObjectsService } from './istio-objects.service';
import { GatewayApiKindPipe } from './mesh-kind.pipe';
import { GATEWAY_API_KINDS, MeshKind } from './mesh-kinds';

const READ: ErrorCode[] = [
  'VALIDATION_FAILED',
  'ROUTE_NOT_FOUND',
  'GATEWAY_API_NOT_INSTALLED',
  'CLUSTER_NOT_FOUND',
  'CLUSTER_UNREACHABLE',
  'CLUSTER_TIMEOUT',
  'CLUSTER_AUTH_FAILED',
  'K8S_FORBIDDEN',
  'K8S_NOT_FOUND',
  'K8S_THROTTLED',
];
const KIND_PARAM = ApiParam({ name: 'kind', enum: GATEWAY_API_KINDS.map((k) => k.segment) });

/** Gateway API (gateway.networking.k8s.io v1) Gateways and HTTPRoutes, read-only. */
@ApiTags('gateway-api')
@Controller('api/v1/clusters/:clusterId/gateway-api')
export class GatewayApiController {
  constructor(private readonly objects: IstioObjectsService) {}

  @Get(':kind')
  @KIND_PARAM
  @ApiEndpoint({
    summary: 'List Gateway API Gateways or HTTPRoutes (namespace, labelSelector, paged)',
    response: MeshObjectListDto,
    errors: [...READ, 'K8S_INVALID'],
  })
  list(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('kind', GatewayApiKindPipe) kind: MeshKind,
    @Query() q: MeshListQueryDto,
  ): Promise<MeshObjectListDto> {
    return this.objects.list(clusterId, kind, q);
  }

  @Get(':kind/:name')
  @KIND_PARAM
  @ApiEndpoint({
    summary: 'One Gateway API Gateway or HTTPRoute with its validation findings inline',
    response: MeshObjectDto,
    errors: READ,
  })
  get(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('kind', GatewayApiKindPipe) kind: MeshKind,
    @Param('name', ObjectNamePipe) name: string,
    @Query() q: MeshObjectQueryDto,
  ): Promise<MeshObjectDto> {
    return this.objects.get(clusterId, kind, name, q, true);
  }
}
