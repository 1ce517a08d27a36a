import { Injectable } from '@nestjs/common';
import { HistoryService } from '../history/history.service';
import { ClusterSnapshots } from '../monitor/cluster-snapshot';
import type { Forecast, ForecastRequest, ForecastSource } from './forecast';
import { windowSeries } from './samples';
import { poolSaturationForecasts, saturationForecasts } from './saturation-forecasts';

/** Requests and pods reaching capacity, per cluster and per node pool, from the stored history. */
@Injectable()
export class SaturationForecastSource implements ForecastSource {
  constructor(
    private readonly history: HistoryService,
    private readonly snapshots: ClusterSnapshots,
  ) {}

  async forecasts(r: ForecastRequest): Promise<Forecast[]> {
    const samples = await this.history.get(r.clusterId, {
      scope: 'cluster',
      from: new Date(r.now - r.windowMs).toISOString(),
      to: new Date(r.now).toISOString(),
    });
    const cluster = saturationForecasts(
      samples.points,
      await this.podCapacity(r.clusterId),
      r.now,
      r.horizonMs,
    );
    const pools = await windowSeries(this.history, r, 'nodePool');
    return [...cluster, ...poolSaturationForecasts(pools, r.now, r.horizonMs)];
  }

  /** Pods the nodes can hold: the sum of their allocatable pods, from the live snapshot. */
  private async podCapacity(clusterId: string): Promise<number> {
    const snapshot = await this.snapshots.forCluster(clusterId);
    return snapshot.list('nodes').reduce((total, node) => total + node.allocatable.pods, 0);
  }
}
