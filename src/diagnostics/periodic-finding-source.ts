import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EvaluatedFinding } from '../cluster-state/finding';
import { ConfigProvider } from '../config/config.provider';
import type { AppConfig } from '../config/config.types';
import { PeriodicJob, PeriodicJobs } from '../coordination/periodic-jobs';
import { ClusterSnapshot, ClusterSnapshots } from '../monitor/cluster-snapshot';
import { ExternalFindings } from './external-findings';

/** What every periodic finding source needs from the application, injected as one. */
@Injectable()
export class FindingSourceRuntime {
  constructor(
    readonly snapshots: ClusterSnapshots,
    readonly external: ExternalFindings,
    readonly jobs: PeriodicJobs,
    readonly configProvider: ConfigProvider,
  ) {}
}

/**
 * Findings computed on a timer rather than from the snapshot (forecasts from the stored history,
 * behaviour from Prometheus). Every tick, on every replica (each runs its own diagnostics), each
 * settled cluster's findings are recomputed and held here, so diagnostics merge them through
 * ExternalFindings on every evaluation without waiting for their source, and re-evaluate a cluster
 * only when its findings changed: most ticks of a healthy cluster change nothing.
 */
export abstract class PeriodicFindingSource implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly current = new Map<string, EvaluatedFinding[]>();
  private readonly job: PeriodicJob<void>;
  private unregister: (() => void) | undefined;

  /**
   * @param name The ExternalFindings source name; capitalised, it names the logger.
   * @param job The PeriodicJobs job name (the `job` label of its metrics).
   * @param everySeconds The interval, from the configuration.
   */
  protected constructor(
    private readonly runtime: FindingSourceRuntime,
    private readonly name: string,
    job: string,
    everySeconds: (config: AppConfig) => number,
  ) {
    this.logger = new Logger(name.charAt(0).toUpperCase() + name.slice(1));
    this.job = runtime.jobs.register({
      name: job,
      everyMs: everySeconds(this.config) * 1000,
      runsOn: 'every-replica',
      tick: (now) => this.recomputeAll(now),
    });
  }

  protected get config(): AppConfig {
    return this.runtime.configProvider.config;
  }

  /** One settled, reachable cluster's findings at `now`; a throw keeps the last ones. */
  protected abstract compute(
    clusterId: string,
    snapshot: ClusterSnapshot,
    now: number,
  ): Promise<EvaluatedFinding[]>;

  /** A cluster was removed: what the subclass holds about it goes too. */
  protected forget?(clusterId: string): void;

  /** How a failure is logged; a subclass whose errors may carry more than a name narrows it. */
  protected describeFailure(error: Error): string {
    return error.message;
  }

  onApplicationBootstrap(): void {
    this.unregister = this.runtime.external.register({
      name: this.name,
      findings: (clusterId) => this.current.get(clusterId) ?? [],
    });
  }

  onModuleDestroy(): void {
    this.unregister?.();
  }

  /** Recomputes every settled cluster now, as the timer does; a run in progress is joined. */
  async refreshAll(now = Date.now()): Promise<void> {
    await this.job.run(now);
  }

  private async recomputeAll(now: number): Promise<void> {
    const running = this.runtime.snapshots.all();
    for (const id of this.current.keys()) {
      if (running.has(id)) continue;
      this.current.delete(id);
      this.forget?.(id);
    }
    for (const [clusterId, snapshot] of running) {
      if (!snapshot.settled || snapshot.down) continue;
      await this.recompute(clusterId, snapshot, now).catch((error: Error) =>
        this.logger.warn(`Findings of ${clusterId} failed: ${this.describeFailure(error)}`),
      );
    }
  }

  private async recompute(clusterId: string, snapshot: ClusterSnapshot, now: number) {
    const findings = await this.compute(clusterId, snapshot, now);
    const unchanged =
      JSON.stringify(this.current.get(clusterId) ?? []) === JSON.stringify(findings);
    this.current.set(clusterId, findings);
    if (!unchanged) this.runtime.external.changed(clusterId);
  }
}
