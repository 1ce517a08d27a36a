import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { ConfigProvider } from '../config/config.provider';
import { PeriodicJob, PeriodicJobs } from '../coordination/periodic-jobs';
import { collectionPath, kindOf } from '../kubernetes/kinds';
import { ClusterCache } from './cluster-cache';
import { MonitorService } from './monitor.service';
import { usageFromNodeMetrics } from './node-usage';

const NODE_METRICS = kindOf('nodes.metrics.k8s.io');

/**
 * The scheduled refresh, on every replica (each has its own caches): reconciles caches with the
 * registry, checks each cluster's reachability and version, cuts the backoff of failed watches
 * short and reads usage from metrics.k8s.io (which cannot be watched). The interval is
 * monitor.refreshIntervalSeconds; PeriodicJobs runs it.
 */
@Injectable()
export class MonitorTick {
  private readonly job: PeriodicJob<void>;

  constructor(
    private readonly monitor: MonitorService,
    jobs: PeriodicJobs,
    configProvider: ConfigProvider,
  ) {
    this.job = jobs.register({
      name: 'monitor',
      everyMs: configProvider.config.monitor.refreshIntervalSeconds * 1000,
      runsOn: 'every-replica',
      tick: () => this.refreshAll(),
    });
  }

  /** One refresh of every cluster; a tick still running is joined, not doubled. */
  tick(): Promise<void> {
    return this.job.run() as Promise<void>;
  }

  private async refreshAll(): Promise<void> {
    await this.monitor.reconcile();
    await Promise.all([...this.monitor.all().values()].map((cache) => this.refresh(cache)));
  }

  private async refresh(cache: ClusterCache): Promise<void> {
    const checkedAt = new Date().toISOString();
    try {
      const version = await cache.client.version();
      cache.health = { reachable: true, kubernetesVersion: version.gitVersion, checkedAt };
      cache.retryFailed();
      await Promise.all([this.refreshUsage(cache), cache.refreshKinds()]);
    } catch (error) {
      const e =
        error instanceof AppError
          ? error
          : new AppError('CLUSTER_ERROR', 'The cluster check failed');
      cache.health = { reachable: false, checkedAt, error: { code: e.code, message: e.message } };
    }
  }

  /**
   * metrics.k8s.io is optional: not served (404), not allowed (403) or its aggregated server down
   * (503) all mean "no usage", never an unreachable cluster (that is what /version decides).
   */
  private async refreshUsage(cache: ClusterCache): Promise<void> {
    try {
      cache.usage = usageFromNodeMetrics(
        await cache.client.request({
          path: collectionPath(NODE_METRICS, NODE_METRICS.versions[0]),
        }),
        new Date(),
      );
    } catch {
      cache.usage = undefined;
    }
  }
}
