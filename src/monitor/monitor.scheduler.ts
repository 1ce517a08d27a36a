import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppError } from '../common/app-error';
import { ConfigProvider } from '../config/config.provider';
import { nanosToNumber } from '../cluster-state/quantity';
import { collectionPath, kindOf } from '../kubernetes/kinds';
import { ClusterCache } from './cluster-cache';
import { MonitorService } from './monitor.service';
import { usageFromNodeMetrics } from './node-usage';

const TICK = 'monitor-tick';
const NODE_METRICS = kindOf('nodes.metrics.k8s.io');

/**
 * The scheduled refresh: reconciles caches with the registry, checks each cluster's reachability
 * and version, cuts the backoff of failed watches short, reads usage from metrics.k8s.io (which
 * cannot be watched) and records a trend sample. The interval comes from config; a tick never
 * overlaps the previous one and never throws out of the timer. `tick()` is what tests call.
 */
@Injectable()
export class MonitorScheduler implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('MonitorScheduler');
  private running: Promise<void> | undefined;

  constructor(
    private readonly monitor: MonitorService,
    private readonly scheduler: SchedulerRegistry,
    private readonly configProvider: ConfigProvider,
  ) {}

  onModuleInit(): void {
    const ms = this.configProvider.config.monitor.refreshIntervalSeconds * 1000;
    this.scheduler.addInterval(
      TICK,
      setInterval(() => void this.tick(), ms),
    );
  }

  onModuleDestroy(): void {
    if (this.scheduler.doesExist('interval', TICK)) this.scheduler.deleteInterval(TICK);
  }

  /** One refresh of every cluster; a tick still running is joined, not doubled. */
  tick(): Promise<void> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runTick(): Promise<void> {
    try {
      await this.monitor.reconcile();
      await Promise.all([...this.monitor.all().values()].map((cache) => this.refresh(cache)));
    } catch (error) {
      this.logger.warn(`Monitor tick failed: ${(error as Error).message}`);
    }
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
    this.sample(cache);
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

  private sample(cache: ClusterCache): void {
    const a = cache.aggregates;
    cache.addSample({
      at: new Date().toISOString(),
      nodesReady: a.nodes.ready,
      podsRunning: a.phases.running,
      podsPending: a.phases.pending,
      podsFailed: a.phases.failed,
      cpuRequests: nanosToNumber(a.pods.requests.cpu),
      memoryRequests: nanosToNumber(a.pods.requests.memory),
      cpuUsage: cache.usage ? nanosToNumber(cache.usage.total.cpu) : null,
      memoryUsage: cache.usage ? nanosToNumber(cache.usage.total.memory) : null,
    });
  }
}
