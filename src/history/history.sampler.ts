import { Injectable, Logger, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ConfigProvider } from '../config/config.provider';
import { PeriodicJob, PeriodicJobs, retentionJob } from '../coordination/periodic-jobs';
import { ReplicaCoordination } from '../coordination/replica-coordination';
import {
  ClusterPlacement,
  ClusterSnapshot,
  ClusterSnapshots,
  ClusterUsage,
  EveryCluster,
  recordingRunsOn,
} from '../monitor/cluster-snapshot';
import { LiveUsage } from '../telemetry/live-usage';
import { FindingCounts, withFindingCounts } from './finding-counts';
import { insertNew } from '../database/insert-new';
import { HistorySample } from './history-sample.entity';
import { HistoryRetention } from './history-retention';
import type { HistoryRow } from './history-row';
import { historyRows, hpaRows, nodeRows, slotOf, workloadRows } from './history-rows';

/** What the row builders read of a snapshot; its usage is replaced by the tick's reading. */
const pick = (s: ClusterSnapshot) => ({
  clusterId: s.clusterId,
  aggregates: s.aggregates,
  list: s.list.bind(s),
});

/**
 * Leader-only (with sharding: each replica for the clusters it owns first): writes one history sample per cluster (and per namespace, node, node pool and
 * restarting workload) per monitor tick. Ticks are aligned to the middle of their slot on the wall
 * clock, so every replica's timer agrees on which tick is which: a new leader continues the series
 * where the old one stopped, and a tick two replicas both sample is stored once (the slot is in the
 * primary key). Followers only keep time.
 */
@Injectable()
export class HistorySampler {
  private readonly logger = new Logger('History');
  private readonly job: PeriodicJob<number>;
  private readonly placement: ClusterPlacement;

  constructor(
    @InjectRepository(HistorySample) private readonly samples: Repository<HistorySample>,
    private readonly snapshots: ClusterSnapshots,
    private readonly configProvider: ConfigProvider,
    private readonly findingCounts: FindingCounts,
    private readonly liveUsage: LiveUsage,
    jobs: PeriodicJobs,
    private readonly coordination: ReplicaCoordination,
    @Optional() placement?: ClusterPlacement,
  ) {
    this.placement = placement ?? new EveryCluster();
    this.job = jobs.register({
      name: 'history',
      everyMs: this.intervalMs,
      // Sharded, every replica samples the clusters it owns first; retention stays the leader's.
      runsOn: recordingRunsOn(configProvider.config.sharding.enabled),
      alignToSlot: true,
      tick: (now) => this.write(now),
    });
    jobs.register(retentionJob('history-retention', (now) => this.prune(now)));
  }

  private get intervalMs(): number {
    return this.configProvider.config.monitor.refreshIntervalSeconds * 1000;
  }

  /** One tick, as the timer runs it: the number of rows written, 0 on a follower. */
  async sample(now = Date.now()): Promise<number> {
    return (await this.job.run(now)) ?? 0;
  }

  private async write(now: number): Promise<number> {
    const slot = slotOf(now, this.intervalMs);
    const at = new Date(now).toISOString();
    const rows: HistoryRow[] = [];
    const leads = this.coordination.isLeader();
    const sampled = (id: string) => this.placement.records(id, leads);
    // A cache on its first sync, or with every watch down, would record zeros, not the cluster.
    const live = [...this.snapshots.all().values()].filter(
      (s) => sampled(s.clusterId) && s.settled && !s.down,
    );
    // Each cluster's Prometheus is read at once: a dead one costs one deadline, not one each.
    const usages = await Promise.all(live.map((s) => this.usageOf(s)));
    for (const [i, snapshot] of live.entries()) {
      const pools = this.configProvider.config.history.nodePoolLabels;
      const counts = await this.findingCounts.of(snapshot.clusterId);
      const reading = { ...pick(snapshot), usage: usages[i] };
      rows.push(
        ...withFindingCounts(historyRows(reading, slot, at), counts),
        ...nodeRows(reading, pools, slot, at),
        ...workloadRows(snapshot, slot, at),
        ...hpaRows(snapshot, slot, at),
      );
    }
    await insertNew(
      this.samples,
      rows.map(({ values, ...key }) => ({ ...key, data: JSON.stringify(values) })),
    );
    return rows.length;
  }

  /**
   * Nodes' usage from metrics.k8s.io when served, else from Prometheus; namespaces' usage from
   * Prometheus only (metrics.k8s.io is read per node). Neither: undefined, stored as null.
   */
  private async usageOf(snapshot: ClusterSnapshot): Promise<ClusterUsage | undefined> {
    const prometheus = await this.liveUsage.current(snapshot).catch(() => undefined);
    if (!snapshot.usage) return prometheus;
    return { ...snapshot.usage, byNamespace: prometheus?.byNamespace };
  }

  private async prune(now: number): Promise<void> {
    const retention = new HistoryRetention(this.samples, this.intervalMs);
    const deleted = await retention.compact(now, this.configProvider.config.history.retentionDays);
    if (deleted) this.logger.log(`Downsampled or expired ${deleted} history samples`);
  }
}
