import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import type { RangeSeries, Sample } from './prometheus-client';
import { TelemetryRun, TelemetryRunner } from './telemetry-runner';

/** What the assistant may ask: one PromQL expression, instant or over a bounded range. */
export interface MetricsQuery {
  query: string;
  /** 0 or absent: an instant query; else the range ending now, in minutes (≤ 1440). */
  rangeMinutes?: number;
  /** Range step; at least the range / MAX_STEPS, default the range / 60. */
  stepSeconds?: number;
  /** Series shown (largest first); the answer says how many there were. */
  limit?: number;
}

export const MAX_QUERY_LENGTH = 2000;
export const MAX_RANGE_MINUTES = 1440;
const MAX_STEPS = 500;
const SHOWN_POINTS = 12;

export interface SeriesSummary {
  labels: Record<string, string>;
  last: number | null;
  min?: number;
  max?: number;
  avg?: number;
  /** A few evenly spaced points [ISO time, value] of a range, oldest first. */
  points?: Array<[string, number]>;
}

export interface MetricsSummary {
  kind: 'instant' | 'range';
  query: string;
  stepSeconds: number | null;
  seriesCount: number;
  series: SeriesSummary[];
}

const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v);

function summariseRange(s: RangeSeries): SeriesSummary {
  const values = s.points.map(([, v]) => v).filter(Number.isFinite);
  const every = Math.max(1, Math.ceil(s.points.length / SHOWN_POINTS));
  return {
    labels: s.metric,
    last: values.length ? round(values[values.length - 1]) : null,
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
    avg: round(values.reduce((a, b) => a + b, 0) / (values.length || 1)),
    points: s.points
      .filter((_, i) => i % every === 0 || i === s.points.length - 1)
      .map(([t, v]) => [new Date(t * 1000).toISOString(), round(v)]),
  };
}

function summariseSample(s: Sample): SeriesSummary {
  return { labels: s.metric, last: Number.isFinite(s.value) ? round(s.value) : null };
}

const magnitude = (s: SeriesSummary) => Math.abs(s.max ?? s.last ?? 0);

/**
 * Read-only PromQL for the assistant: the query API cannot write, and every question is bounded
 * (expression length, range, step, series, the telemetry deadline) and summarised — the largest
 * series with min/max/avg/last and a dozen points, never the raw matrix.
 */
@Injectable()
export class MetricsQueryService {
  constructor(private readonly runner: TelemetryRunner) {}

  query(clusterId: string, ask: MetricsQuery): Promise<TelemetryRun<MetricsSummary | null>> {
    if (!ask.query.trim() || ask.query.length > MAX_QUERY_LENGTH)
      throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
        { field: 'query', errors: [`query must be 1 to ${MAX_QUERY_LENGTH} characters`] },
      ]);
    const limit = ask.limit ?? 10;
    return this.runner.run(clusterId, null, async (q) => {
      if (!ask.rangeMinutes) {
        const samples = await q.instant(ask.query);
        return this.top('instant', ask.query, null, samples.map(summariseSample), limit);
      }
      const range = Math.min(ask.rangeMinutes, MAX_RANGE_MINUTES) * 60;
      const step = Math.max(
        ask.stepSeconds ?? Math.ceil(range / 60),
        Math.ceil(range / MAX_STEPS),
        1,
      );
      const end = new Date();
      const series = await q.range(ask.query, new Date(end.getTime() - range * 1000), end, step);
      return this.top('range', ask.query, step, series.map(summariseRange), limit);
    });
  }

  private top(
    kind: MetricsSummary['kind'],
    query: string,
    stepSeconds: number | null,
    series: SeriesSummary[],
    limit: number,
  ): MetricsSummary {
    const shown = [...series].sort((a, b) => magnitude(b) - magnitude(a)).slice(0, limit);
    return { kind, query, stepSeconds, seriesCount: series.length, series: shown };
  }
}
