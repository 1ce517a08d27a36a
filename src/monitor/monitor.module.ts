import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { KubernetesModule } from '../kubernetes/kubernetes.module';
import { ClusterSnapshots } from './cluster-snapshot';
import { MonitorService } from './monitor.service';
import { MonitorTick } from './monitor.tick';

/**
 * Live per-cluster caches and their scheduled refresh. Other modules see them only through the
 * read-only ClusterSnapshots port.
 */
@Module({
  imports: [HealthModule, KubernetesModule],
  providers: [
    MonitorService,
    MonitorTick,
    { provide: ClusterSnapshots, useExisting: MonitorService },
  ],
  exports: [ClusterSnapshots],
})
export class MonitorModule {}
