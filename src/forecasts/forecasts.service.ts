import { Injectable } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { HistoryService } from '../history/history.service';
import { ClusterSnapshots } from '../monitor/cluster-snapshot';
import { ForecastDto, ForecastListDto, ForecastQueryDto } from './forecasts.dto';
import { SaturationForecast, saturationForecasts } from './saturation-forecasts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Forecasts from the stored history, with the cluster's current capacity from its snapshot. */
@Injectable()
export class ForecastsService {
  constructor(
    private readonly directory: ClusterDirectory,
    private readonly history: HistoryService,
    private readonly snapshots: ClusterSnapshots,
  ) {}

  async list(clusterIdOrName: string, query: ForecastQueryDto): Promise<ForecastListDto> {
    const cluster = await this.directory.get(clusterIdOrName);
    const horizonDays = query.horizonDays ?? 30;
    const windowHours = query.windowHours ?? 24;
    const now = Date.now();
    const samples = await this.history.get(cluster.id, {
      scope: 'cluster',
      from: new Date(now - windowHours * HOUR).toISOString(),
      to: new Date(now).toISOString(),
    });
    const forecasts = saturationForecasts(
      samples.points,
      await this.podCapacity(cluster.id),
      now,
      horizonDays * DAY,
    );
    return {
      cluster: { id: cluster.id, name: cluster.name },
      generatedAt: new Date(now).toISOString(),
      horizonDays,
      windowHours,
      items: forecasts.map(toDto),
    };
  }

  /** Pods the nodes can hold: the sum of their allocatable pods, from the live snapshot. */
  private async podCapacity(clusterId: string): Promise<number> {
    const snapshot = await this.snapshots.forCluster(clusterId);
    return snapshot.list('nodes').reduce((total, node) => total + node.allocatable.pods, 0);
  }
}

function toDto(f: SaturationForecast): ForecastDto {
  return {
    code: f.code,
    meaning: f.meaning,
    metric: f.metric,
    scope: 'cluster',
    threshold: f.threshold,
    current: f.current,
    crossesAt: f.crossesAt === null ? null : new Date(f.crossesAt).toISOString(),
    withinHorizon: f.withinHorizon,
    confidence: f.confidence,
    method: f.method,
    slopePerHour: f.slopePerHour,
    reason: f.reason ?? null,
    points: f.basis.map((p) => ({ at: new Date(p.t).toISOString(), value: p.v })),
  };
}
