import { Injectable } from '@nestjs/common';
import { HistoryService } from '../history/history.service';
import type { Forecast, ForecastRequest, ForecastSource } from './forecast';
import { hpaForecasts } from './hpa-forecasts';

/** HorizontalPodAutoscalers trending to their maxReplicas, from the hpa-scope history. */
@Injectable()
export class HpaForecastSource implements ForecastSource {
  constructor(private readonly history: HistoryService) {}

  async forecasts(r: ForecastRequest): Promise<Forecast[]> {
    const series = await this.history.series(
      r.clusterId,
      'hpa',
      new Date(r.now - r.windowMs),
      new Date(r.now),
    );
    return hpaForecasts(series, r.now, r.horizonMs);
  }
}
