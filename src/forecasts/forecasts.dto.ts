import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ForecastQueryDto {
  /** How far ahead a crossing counts as expected, in days (1–365, default 30). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  horizonDays?: number;

  /** How much history the forecasts fit, in hours (1–720, default 24). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(720)
  windowHours?: number;
}

export class ForecastPointDto {
  at: string;
  value: number;
}

export class ForecastDto {
  /** Stable code, e.g. FORECAST_CPU_REQUESTS_SATURATION (docs/forecasts.md). */
  code: string;
  /** What crossing the threshold means. */
  meaning: string;
  /** The metric forecast (CPU in cores, memory in bytes, pods a count, restartsPerHour a rate). */
  metric: string;
  /** cluster, nodePool (saturation), workload (restart rate), hpa (maxReplicas); pvc has no usage source yet (docs/forecasts.md). */
  scope: 'cluster' | 'workload' | 'nodePool' | 'hpa' | 'pvc';
  /** The namespace of a workload or HPA, else null. */
  namespace: string | null;
  /** The workload or HPA as `<Kind>/<name>`, or the pool (scope nodePool), else null. */
  name: string | null;
  /** The capacity the metric must stay below, as of the latest sample; null when unknown. */
  threshold: number | null;
  /** The fitted value now. */
  current: number | null;
  /** Expected crossing (ISO time); null when none is expected (see reason). */
  crossesAt: string | null;
  /** True when crossesAt is within horizonDays. */
  withinHorizon: boolean;
  /** 0–1: how well the method fits the points it used, discounted for few points. */
  confidence: number;
  /** linear or holt-winters; null when no forecast was possible. */
  method: string | null;
  slopePerHour: number | null;
  /** Why there is no crossing: too few points, flat, decreasing, already at or above the threshold, capacity unknown. */
  reason: string | null;
  /** The points the forecast used, oldest first. */
  points: ForecastPointDto[];
}

export class ForecastClusterDto {
  id: string;
  name: string;
}

export class ForecastListDto {
  cluster: ForecastClusterDto;
  generatedAt: string;
  horizonDays: number;
  windowHours: number;
  items: ForecastDto[];
}
