import { Module } from '@nestjs/common';
import { KubernetesModule } from '../kubernetes/kubernetes.module';
import { MonitorModule } from '../monitor/monitor.module';
import { GatewayApiController } from './gateway-api.controller';
import { IstioObjectsController } from './istio-objects.controller';
import { IstioObjectsService } from './istio-objects.service';
import { MeshApiService } from './mesh-api.service';
import { MeshSnapshotService } from './mesh-snapshot.service';
import { MeshValidationService } from './mesh-validation.service';
import { ValidationsController } from './validations.controller';

/** IstioGateway: Istio Gateway / VirtualService / DestinationRule management, Gateway API reads, and their validation. */
@Module({
  imports: [KubernetesModule, MonitorModule],
  // ValidationsController first: its static path must win over IstioObjectsController's `:kind`.
  controllers: [ValidationsController, IstioObjectsController, GatewayApiController],
  providers: [MeshApiService, MeshSnapshotService, MeshValidationService, IstioObjectsService],
  exports: [MeshValidationService],
})
export class IstioGatewayModule {}
