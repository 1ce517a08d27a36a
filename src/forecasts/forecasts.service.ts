import { Inject, Injectable } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { FORECAST_SOURCES, Forecast, ForecastSource } from './forecast';
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
    const forecasts = await this.forecasts(cluster.id, now, horizonDays * DAY, windowHours * HOUR);
    return {
      cluster: { id: cluster.id, name: cluster.name },
      generatedAt: new Date(now).toISOString(),
      horizonDays,
      windowHours,
      items: forecasts.map(toDto),
    };
  }

  /** The forecasts of every source for a cluster (by id), in the order the sources are registered. */
  async forecasts(
    clusterId: string,
    now: number,
    horizonMs: number,
    windowMs: number,
  ): Promise<Forecast[]> {
    const request = { clusterId, now, horizonMs, windowMs };
    const answers = await Promise.all(this.sources.map((s) => s.forecasts(request)));
    return answers.flat();
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
    ...(f.certificate ? { certificate: f.certificate } : {}),
  };
}
