import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import {
  MeshListQueryDto,
  MeshObjectDto,
  MeshObjectListDto,
  MeshObjectQueryDto,
} from './istio-object.dto';
import { IstioObjectsService } from './istio-objects.service';
import { GatewayApiKindParam } from './mesh-kind.pipe';
import type { MeshKind } from './mesh-kinds';
import { ClusterIdParam, NameParam } from '../common/route-params.decorator';

const READ: ErrorCode[] = [
  'ROUTE_NOT_FOUND',
  'GATEWAY_API_NOT_INSTALLED',
  'K8S_NOT_FOUND',
  'K8S_THROTTLED',
];
const Read = ClusterEndpoint.with({ live: true, errors: READ });

/** Gateway API (gateway.networking.k8s.io v1) Gateways and HTTPRoutes, read-only. */
@ApiTags('gateway-api')
@Controller('api/v1/clusters/:clusterId/gateway-api')
export class GatewayApiController {
  constructor(private readonly objects: IstioObjectsService) {}

  @Get(':kind')
  @Read('List Gateway API Gateways or HTTPRoutes (namespace, labelSelector, paged)', {
    access: 'cluster',
    response: MeshObjectListDto,
    errors: ['K8S_INVALID'],
  })
  list(
    @ClusterIdParam() clusterId: string,
    @GatewayApiKindParam() kind: MeshKind,
    @Query() q: MeshListQueryDto,
  ): Promise<MeshObjectListDto> {
    return this.objects.list(clusterId, kind, q);
  }

  @Get(':kind/:name')
  @Read('One Gateway API Gateway or HTTPRoute with its validation findings inline', {
    access: 'namespaced',
    response: MeshObjectDto,
  })
  get(
    @ClusterIdParam() clusterId: string,
    @GatewayApiKindParam() kind: MeshKind,
    @NameParam() name: string,
    @Query() q: MeshObjectQueryDto,
  ): Promise<MeshObjectDto> {
    return this.objects.get(clusterId, kind, name, q, true);
  }
}
