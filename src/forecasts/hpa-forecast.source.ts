import { Injectable } from '@nestjs/common';
import { HistoryService } from '../history/history.service';
import type { Forecast, ForecastRequest, ForecastSource } from './forecast';
import { windowSeries } from './samples';
import { hpaForecasts } from './hpa-forecasts';

/** HorizontalPodAutoscalers trending to their maxReplicas, from the hpa-scope history. */
@Injectable()
export class HpaForecastSource implements ForecastSource {
  constructor(private readonly history: HistoryService) {}

  async forecasts(r: ForecastRequest): Promise<Forecast[]> {
    const series = await windowSeries(this.history, r, 'hpa');
    return hpaForecasts(series, r.now, r.horizonMs);
  }
}
