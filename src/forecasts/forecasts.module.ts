import { Module } from '@nestjs/common';
import { DiagnosticsModule } from '../diagnostics/diagnostics.module';
import { HistoryModule } from '../history/history.module';
import { MonitorModule } from '../monitor/monitor.module';
import { CertificateForecastSource } from './certificate-forecast.source';
import { FORECAST_SOURCES, ForecastSource } from './forecast';
import { ForecastFindings } from './forecast-findings.service';
import { ForecastsController } from './forecasts.controller';
import { ForecastsService } from './forecasts.service';
import { HpaForecastSource } from './hpa-forecast.source';
import { RestartForecastSource } from './restart-forecast.source';
import { SaturationForecastSource } from './saturation-forecast.source';
import { UsageForecastSource } from './usage-forecast.source';

/** The forecast sources ForecastsService lists, in this order: add a source here to add a forecast. */
const SOURCES = [
  SaturationForecastSource,
  RestartForecastSource,
  HpaForecastSource,
  CertificateForecastSource,
  UsageForecastSource,
];

/**
 * Forecasts: when a cluster runs out, from the persisted history (methods in ./methods); those
 * crossing soon become FORECAST_* diagnostics findings (ForecastFindings).
 */
@Module({
  imports: [HistoryModule, MonitorModule, DiagnosticsModule],
  controllers: [ForecastsController],
  providers: [
    ...SOURCES,
    {
      provide: FORECAST_SOURCES,
      useFactory: (...sources: ForecastSource[]) => sources,
      inject: SOURCES,
    },
    ForecastsService,
    ForecastFindings,
  ],
})
export class ForecastsModule {}
