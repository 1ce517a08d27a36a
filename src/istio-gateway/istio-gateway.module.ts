import { Module } from '@nestjs/common';
import { KubernetesModule } from '../kubernetes/kubernetes.module';
import { MonitorModule } from '../monitor/monitor.module';
import { GatewayApiController } from './gateway-api.controller';
import { ISTIO_KIND_CONTROLLERS } from './istio-kind.controller';
import { IstioObjectsService } from './istio-objects.service';
import { MeshApiService } from './mesh-api.service';
import { MeshSnapshotService } from './mesh-snapshot.service';
import { MeshValidationService } from './mesh-validation.service';
import { ValidationsController } from './validations.controller';

/** IstioGateway: Istio Gateway / VirtualService / DestinationRule management, Gateway API reads, and their validation. */
@Module({
  imports: [KubernetesModule, MonitorModule],
  controllers: [ValidationsController, ...ISTIO_KIND_CONTROLLERS, GatewayApiController],
  providers: [MeshApiService, MeshSnapshotService, MeshValidationService, IstioObjectsService],
  exports: [MeshValidationService],
})
export class IstioGatewayModule {}
