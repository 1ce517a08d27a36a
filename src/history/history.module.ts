import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MonitorModule } from '../monitor/monitor.module';
import { HistorySample } from './history-sample.entity';
import { HistoryController } from './history.controller';
import { HistoryService } from './history.service';
import { HistorySampler } from './history.sampler';

/** The history that outlives a restart: sampled by the leader replica, read by forecasts later. */
@Module({
  imports: [TypeOrmModule.forFeature([HistorySample]), MonitorModule],
  controllers: [HistoryController],
  providers: [HistorySampler, HistoryService],
  exports: [HistorySampler, HistoryService],
})
export class HistoryModule {}
