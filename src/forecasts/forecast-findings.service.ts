import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { ConfigProvider } from '../config/config.provider';
import type { EvaluatedFinding } from '../cluster-state/finding';
import { PeriodicJob, PeriodicJobs } from '../coordination/periodic-jobs';
import { ExternalFindings } from '../diagnostics/external-findings';
import { ClusterSnapshots } from '../monitor/cluster-snapshot';
import { forecastFindings } from './forecast-findings';
import { ForecastsService } from './forecasts.service';

const DAY = 86_400_000;
/** The history a finding's forecast fits: the same default window as GET /forecasts. */
const WINDOW_MS = DAY;

/**
 * Turns forecasts crossing within `forecasts.findingHorizonDays` into FORECAST_* diagnostics
 * findings. Recomputed once per monitor tick on every replica (each replica runs its own
 * diagnostics; the history they read is shared), and held here so diagnostics can merge them on
 * every evaluation without waiting for the database.
 */
@Injectable()
export class ForecastFindings implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Forecasts');
  private readonly current = new Map<string, EvaluatedFinding[]>();
  private readonly job: PeriodicJob<void>;
  private unregister: (() => void) | undefined;

  constructor(
    private readonly forecasts: ForecastsService,
    private readonly directory: ClusterDirectory,
    private readonly snapshots: ClusterSnapshots,
    private readonly external: ExternalFindings,
    private readonly configProvider: ConfigProvider,
    jobs: PeriodicJobs,
  ) {
    this.job = jobs.register({
      name: 'forecast-findings',
      everyMs: configProvider.config.monitor.refreshIntervalSeconds * 1000,
      runsOn: 'every-replica',
      tick: (now) => this.recompute(now),
    });
  }

  onApplicationBootstrap(): void {
    this.unregister = this.external.register({
      name: 'forecasts',
      findings: (clusterId) => this.current.get(clusterId) ?? [],
    });
  }

  onModuleDestroy(): void {
    this.unregister?.();
  }

  /** Recomputes every settled cluster's forecast findings, as the timer does; a run in progress is joined. */
  async refreshAll(now = Date.now()): Promise<void> {
    await this.job.run(now);
  }

  private async recompute(now: number): Promise<void> {
    const running = this.snapshots.all();
    // A removed cluster's findings go with it.
    for (const id of this.current.keys()) if (!running.has(id)) this.current.delete(id);
    for (const [clusterId, snapshot] of running) {
      if (!snapshot.settled || snapshot.down) continue;
      await this.refresh(clusterId, now).catch((error: Error) =>
        this.logger.warn(`Forecast findings of ${clusterId} failed: ${error.message}`),
      );
    }
  }

  private async refresh(clusterId: string, now: number): Promise<void> {
    const { forecasts: config } = this.configProvider.config;
    const horizonMs = config.findingHorizonDays * DAY;
    const cluster = await this.directory.get(clusterId);
    const forecasts = await this.forecasts.forFindings(clusterId, now, horizonMs, WINDOW_MS);
    const findings = forecastFindings({ id: cluster.id, name: cluster.name }, forecasts, {
      now,
      horizonMs,
      minConfidence: config.findingMinConfidencePercent / 100,
    });
    const unchanged =
      JSON.stringify(this.current.get(clusterId) ?? []) === JSON.stringify(findings);
    this.current.set(clusterId, findings);
    // Most ticks of a healthy cluster have no forecast findings: no evaluation for nothing.
    if (!unchanged) this.external.changed(clusterId);
  }
}
