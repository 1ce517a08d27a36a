import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { MonitorModule } from '../monitor/monitor.module';
import { ForecastsController } from './forecasts.controller';
import { ForecastsService } from './forecasts.service';

/** Forecasts: when a cluster runs out, from the persisted history (methods in ./methods). */
@Module({
  imports: [HistoryModule, MonitorModule],
  controllers: [ForecastsController],
  providers: [ForecastsService],
})
export class ForecastsModule {}
