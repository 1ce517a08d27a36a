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
import { GatewayApiPath, MeshKindPath, MeshObjectPath } from './mesh-kind.pipe';

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
    @GatewayApiPath() at: MeshKindPath,
    @Query() q: MeshListQueryDto,
  ): Promise<MeshObjectListDto> {
    return this.objects.list(at.clusterId, at.kind, q);
  }

  @Get(':kind/:name')
  @Read('One Gateway API Gateway or HTTPRoute with its validation findings inline', {
    access: 'namespaced',
    response: MeshObjectDto,
  })
  get(
    @GatewayApiPath() at: MeshObjectPath,
    @Query() q: MeshObjectQueryDto,
  ): Promise<MeshObjectDto> {
    return this.objects.get(at.clusterId, at.kind, at.name, q, true);
  }
}
