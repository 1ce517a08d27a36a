import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { ConfigProvider } from '../config/config.provider';
import { PeriodicJob, PeriodicJobs } from '../coordination/periodic-jobs';
import { fanOut, FleetEntry } from '../monitor/cluster-snapshot';
import { GraphService } from './graph.service';
import { RecentViews, ViewRead } from './recent-views';
import { SignalsService } from './signals.service';
import { SharedView, TelemetryRunner } from './telemetry-runner';

/** What one tick did for one cluster. */
export interface WarmedCluster {
  /** The views evaluated (`services|300`, …); those still within their time are `skipped`. */
  renewed: string[];
  skipped: number;
  /** Why the cluster's other views waited for the next tick, or null when none did. */
  stopped: 'notConfigured' | 'error' | 'budget' | null;
}

/**
 * Keeps the cluster-wide telemetry views in use warm, so that a reader never waits for
 * Prometheus: every `telemetry.warmIntervalSeconds`, for each cluster with a source, the
 * services and graph of the `telemetry.warmWindows` and every view read in the last
 * `telemetry.warmForMinutes` (at most `telemetry.warmMaxViews`) are evaluated again once their
 * shared answer is past `telemetry.viewCacheSeconds` (TelemetryRunner.renew); a namespace's
 * read is then cut from them (runFiltered). Runs on every replica: the shared answers live in
 * each replica's memory, and a replica serves its own readers from them.
 */
@Injectable()
export class ViewWarmer implements OnApplicationBootstrap {
  private readonly logger = new Logger('TelemetryWarm');
  private readonly everyMs: number;
  private readonly job: PeriodicJob<FleetEntry<WarmedCluster>[]> | undefined;

  constructor(
    private readonly directory: ClusterDirectory,
    private readonly runner: TelemetryRunner,
    private readonly signals: SignalsService,
    private readonly graphs: GraphService,
    private readonly recent: RecentViews,
    private readonly configProvider: ConfigProvider,
    jobs: PeriodicJobs,
  ) {
    this.everyMs = configProvider.config.telemetry.warmIntervalSeconds * 1000;
    this.job =
      this.everyMs > 0
        ? jobs.register({
            name: 'telemetry-warm',
            everyMs: this.everyMs,
            runsOn: 'every-replica',
            tick: (now) => this.warmAll(now),
          })
        : undefined;
  }

  onApplicationBootstrap(): void {
    // The first reader after start finds the configured windows warm, not one interval later.
    this.job
      ?.run()
      .catch((error: Error) => this.logger.warn(`Warming telemetry views failed: ${error.name}`));
  }

  /** One tick now, as the timer runs it (a tick in progress is joined); [] when turned off. */
  async warmNow(now = Date.now()): Promise<FleetEntry<WarmedCluster>[]> {
    return (await this.job?.run(now)) ?? [];
  }

  private async warmAll(now: number): Promise<FleetEntry<WarmedCluster>[]> {
    if (this.configProvider.config.telemetry.viewCacheSeconds <= 0) return [];
    const clusters = (await this.directory.list()).map(({ id, name }) => ({ id, name }));
    this.recent.keepOnly(new Set(clusters.map((c) => c.id)));
    // Each cluster on its own: a hanging Prometheus costs its cluster one deadline, no other.
    return fanOut(clusters, (c) => this.warmCluster(c.id, now), {
      failure: 'Keeping the telemetry views warm failed',
    });
  }

  private async warmCluster(clusterId: string, now: number): Promise<WarmedCluster> {
    const t = this.configProvider.config.telemetry;
    const always = t.warmWindows.flatMap((windowSeconds): ViewRead[] => [
      { view: 'services', windowSeconds },
      { view: 'graph', windowSeconds },
    ]);
    const plan = this.recent.plan(
      clusterId,
      now,
      always,
      t.warmForMinutes * 60_000,
      t.warmMaxViews,
    );
    // Half the interval at most, so a slow Prometheus delays no other cluster's next tick.
    const until = Date.now() + this.everyMs / 2;
    const done: WarmedCluster = { renewed: [], skipped: 0, stopped: null };
    for (const read of plan) {
      if (Date.now() > until) return { ...done, stopped: 'budget' };
      const state = await this.runner.renew(clusterId, this.viewOf(read));
      if (state === 'skipped') done.skipped += 1;
      else if (state === 'ok') done.renewed.push(`${read.view}|${read.windowSeconds}`);
      // Not configured, or failing: its other views would fail alike, each after the deadline.
      else return { ...done, stopped: state };
    }
    return done;
  }

  private viewOf(read: ViewRead): SharedView<unknown> {
    if (read.view === 'graph') return this.graphs.sharedView(read.windowSeconds);
    const scope = read.view === 'services' ? 'service' : 'workload';
    return this.signals.sharedView(scope, read.windowSeconds);
  }
}
