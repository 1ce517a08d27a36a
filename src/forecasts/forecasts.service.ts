import { Inject, Injectable } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import type { TelemetryStateDto } from '../telemetry/telemetry.dto';
import { FORECAST_SOURCES, Forecast, ForecastRequest, ForecastSource } from './forecast';
import { ForecastDto, ForecastListDto, ForecastQueryDto } from './forecasts.dto';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Every forecast of a cluster: asks each registered source (FORECAST_SOURCES) and lists the answers. */
@Injectable()
export class ForecastsService {
  constructor(
    private readonly directory: ClusterDirectory,
    @Inject(FORECAST_SOURCES) private readonly sources: readonly ForecastSource[],
  ) {}

  async list(clusterIdOrName: string, query: ForecastQueryDto): Promise<ForecastListDto> {
    const cluster = await this.directory.get(clusterIdOrName);
    const horizonDays = query.horizonDays ?? 30;
    const windowHours = query.windowHours ?? 24;
    const now = Date.now();
    const request: ForecastRequest = {
      clusterId: cluster.id,
      now,
      horizonMs: horizonDays * DAY,
      windowMs: windowHours * HOUR,
    };
    const { forecasts, telemetry } = await this.answers(request);
    return {
      cluster: { id: cluster.id, name: cluster.name },
      generatedAt: new Date(now).toISOString(),
      horizonDays,
      windowHours,
      telemetry,
      items: forecasts.map(toDto),
    };
  }

  /** The forecasts of every source for the forecast findings, in the order the sources are registered. */
  async forFindings(
    clusterId: string,
    now: number,
    horizonMs: number,
    windowMs: number,
  ): Promise<Forecast[]> {
    return (await this.answers({ clusterId, now, horizonMs, windowMs, forFindings: true }))
      .forecasts;
  }

  /** Every source's forecasts, and the state of Prometheus for those that read it. */
  private async answers(
    request: ForecastRequest,
  ): Promise<{ forecasts: Forecast[]; telemetry: TelemetryStateDto | null }> {
    const answers = await Promise.all(this.sources.map((s) => s.forecasts(request)));
    let telemetry: TelemetryStateDto | null = null;
    const forecasts = answers.flatMap((a) => {
      if (Array.isArray(a)) return a;
      telemetry = a.telemetry;
      return a.forecasts;
    });
    return { forecasts, telemetry };
  }
}

function toDto(f: Forecast): ForecastDto {
  return {
    code: f.code,
    meaning: f.meaning,
    metric: f.metric,
    scope: f.scope,
    namespace: f.namespace,
    name: f.name,
    threshold: f.threshold,
    current: f.current,
    crossesAt: f.crossesAt === null ? null : new Date(f.crossesAt).toISOString(),
    withinHorizon: f.withinHorizon,
    confidence: f.confidence,
    method: f.method,
    slopePerHour: f.slopePerHour,
    reason: f.reason ?? null,
    points: f.basis.map((p) => ({ at: new Date(p.t).toISOString(), value: p.v })),
    ...(f.container ? { container: f.container } : {}),
    ...(f.certificate ? { certificate: f.certificate } : {}),
  };
}
