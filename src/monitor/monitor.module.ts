import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { HealthModule } from '../health/health.module';
import { KubernetesModule } from '../kubernetes/kubernetes.module';
import { ClusterSnapshots } from './cluster-snapshot';
import { MonitorScheduler } from './monitor.scheduler';
import { MonitorService } from './monitor.service';

/**
 * Live per-cluster caches and their scheduled refresh. Other modules see them only through the
 * read-only ClusterSnapshots port.
 */
@Module({
  imports: [ScheduleModule.forRoot(), HealthModule, KubernetesModule],
  providers: [
    MonitorService,
    MonitorScheduler,
    { provide: ClusterSnapshots, useExisting: MonitorService },
  ],
  exports: [ClusterSnapshots],
})
export class MonitorModule {}
