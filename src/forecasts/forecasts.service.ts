import { Injectable } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { HistoryService } from '../history/history.service';
import { ClusterSnapshot, ClusterSnapshots } from '../monitor/cluster-snapshot';
import { ForecastDto, ForecastListDto, ForecastQueryDto } from './forecasts.dto';
import { SaturationForecast, saturationForecasts } from './saturation-forecasts';
import { CertificateForecast, certificateExpiryForecasts } from './certificate-expiry';

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
    const snapshot = await this.snapshots.forCluster(cluster.id);
    const forecasts = saturationForecasts(
      samples.points,
      podCapacity(snapshot),
      now,
      horizonDays * DAY,
    );
    const certificates = certificateExpiryForecasts(
      snapshot.list('certificates'),
      snapshot.list('tlsSecretCertificates'),
      now,
      horizonDays * DAY,
    );
    return {
      cluster: { id: cluster.id, name: cluster.name },
      generatedAt: new Date(now).toISOString(),
      horizonDays,
      windowHours,
      items: [...forecasts.map(toDto), ...certificates.map(certificateDto)],
    };
  }
}

/** Pods the nodes can hold: the sum of their allocatable pods, from the live snapshot. */
function podCapacity(snapshot: ClusterSnapshot): number {
  return snapshot.list('nodes').reduce((total, node) => total + node.allocatable.pods, 0);
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

function certificateDto(f: CertificateForecast): ForecastDto {
  return {
    code: f.code,
    meaning: f.meaning,
    metric: f.metric,
    scope: 'object',
    object: f.object,
    certificate: f.evidence,
    threshold: f.threshold,
    current: f.current,
    crossesAt: new Date(f.crossesAt).toISOString(),
    withinHorizon: f.withinHorizon,
    confidence: f.confidence,
    method: f.method,
    slopePerHour: f.slopePerHour,
    reason: f.reason,
    points: f.basis.map((p) => ({ at: new Date(p.t).toISOString(), value: p.v })),
  };
}
