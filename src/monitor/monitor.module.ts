import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { HealthModule } from '../health/health.module';
import { MonitorScheduler } from './monitor.scheduler';
import { MonitorService } from './monitor.service';

/** Live per-cluster caches and their scheduled refresh; Overview reads them. */
@Module({
  imports: [ScheduleModule.forRoot(), HealthModule],
  providers: [MonitorService, MonitorScheduler],
  exports: [MonitorService],
})
export class MonitorModule {}
