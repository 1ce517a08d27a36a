import type { HistoryScope } from '../history/history-row';
import type { HistoryService } from '../history/history.service';
import type { ForecastRequest } from './forecast';
import type { Point } from './methods/series';

/** One stored sample, as the history gives it: time and metric values. */
export interface Sample {
  at: string;
  values: Record<string, number | null>;
}

/** The points of one metric in the samples (oldest first), skipping samples without it. */
export function basisOf(samples: readonly Sample[], metric: string): Point[] {
  return samples.flatMap((s) => {
    const v = s.values[metric];
    return typeof v === 'number' ? [{ t: Date.parse(s.at), v }] : [];
  });
}

/** Each object's samples of one history scope over the request's window, oldest first. */
export function windowSeries(
  history: HistoryService,
  r: ForecastRequest,
  scope: HistoryScope,
): Promise<Map<string, Sample[]>> {
  return history.series(r.clusterId, scope, new Date(r.now - r.windowMs), new Date(r.now));
}
