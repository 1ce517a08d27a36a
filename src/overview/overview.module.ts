import { Module } from '@nestjs/common';
import { MonitorModule } from '../monitor/monitor.module';
import { OverviewController } from './overview.controller';
import { OverviewService } from './overview.service';

/** Overview: ResourceOverview, NamespaceDetail, NodeDetail and the fleet, all read from the Monitor's caches. */
@Module({
  imports: [MonitorModule],
  controllers: [OverviewController],
  providers: [OverviewService],
  exports: [OverviewService],
})
export class OverviewModule {}
