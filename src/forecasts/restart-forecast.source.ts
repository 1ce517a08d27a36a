import { Injectable } from '@nestjs/common';
import { ConfigProvider } from '../config/config.provider';
import { HistoryService } from '../history/history.service';
import type { Forecast, ForecastRequest, ForecastSource } from './forecast';
import { windowSeries } from './samples';
import { restartForecasts } from './restart-forecasts';

/** Workloads whose restart rate is rising, from the workload-scope history. */
@Injectable()
export class RestartForecastSource implements ForecastSource {
  constructor(
    private readonly history: HistoryService,
    private readonly configProvider: ConfigProvider,
  ) {}

  async forecasts(r: ForecastRequest): Promise<Forecast[]> {
    const series = await windowSeries(this.history, r, 'workload');
    const threshold = this.configProvider.config.forecasts.restartRatePerHour;
    return restartForecasts(series, threshold, r.now, r.horizonMs);
  }
}
