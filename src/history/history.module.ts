import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MonitorModule } from '../monitor/monitor.module';
import { HistorySample } from './history-sample.entity';
import { HistorySampler } from './history.sampler';

/** The history that outlives a restart: sampled by the leader replica, read by forecasts later. */
@Module({
  imports: [TypeOrmModule.forFeature([HistorySample]), MonitorModule],
  providers: [HistorySampler],
  exports: [HistorySampler],
})
export class HistoryModule {}
