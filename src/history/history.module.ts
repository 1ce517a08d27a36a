import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DiagnosticsModule } from '../diagnostics/diagnostics.module';
import { MonitorModule } from '../monitor/monitor.module';
import { DiagnosticsFindingCounts, FindingCounts } from './finding-counts';
import { HistorySample } from './history-sample.entity';
import { HistoryController } from './history.controller';
import { HistoryService } from './history.service';
import { HistorySampler } from './history.sampler';

/**
 * The history that outlives a restart: sampled by the leader replica every monitor tick, served by
 * GET /history and read by the forecasts (HistoryService is what they import).
 */
@Module({
  imports: [TypeOrmModule.forFeature([HistorySample]), MonitorModule, DiagnosticsModule],
  controllers: [HistoryController],
  providers: [
    HistorySampler,
    HistoryService,
    { provide: FindingCounts, useClass: DiagnosticsFindingCounts },
  ],
  exports: [HistoryService],
})
export class HistoryModule {}
