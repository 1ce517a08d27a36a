import { Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThanOrEqual, LessThan, Repository } from 'typeorm';
import { ConfigProvider } from '../config/config.provider';
import { PeriodicJob, PeriodicJobs, retentionJob } from '../coordination/periodic-jobs';
import { ReplicaCoordination } from '../coordination/replica-coordination';
import type { MetricOf } from '../health/metric-catalogue';
import { MetricsService } from '../health/metrics.service';
import {
  ClusterPlacement,
  ClusterSnapshot,
  ClusterSnapshots,
  EveryCluster,
  recordingRunsOn,
  SnapshotChange,
} from '../monitor/cluster-snapshot';
import { insertNew } from '../database/insert-new';
import { ChangeBudget, dayOf } from './change-budget';
import { changeFromEvent, changeRow, ChangeRow } from './change-events';
import { ChangeRecord } from './change-record.entity';

/** A flush every quarter second keeps a change within 1 s of its write, in one batch insert. */
export const FLUSH_EVERY_MS = 250;
/** What the buffer holds at most between flushes (a stalled database must not grow memory). */
const MAX_BUFFERED = 50_000;
const DAY_MS = 86_400_000;

interface Attached {
  snapshot: ClusterSnapshot;
  unsubscribe: () => void;
}

/**
 * Leader-only (sharded: each replica for the clusters it owns first): turns the snapshot's watch
 * events into the change timeline (docs/changes.md). The listener runs on the watch's event path, so it only compares two small maps and appends to a
 * buffer; the periodic flush stores the buffer in batches, off the request path. Followers keep no
 * buffer: only the leader writes, and the id of a change makes a hand-over's overlap one row.
 */
@Injectable()
export class ChangeRecorder implements OnModuleDestroy {
  private readonly logger = new Logger('Changes');
  private readonly attached = new Map<string, Attached>();
  private buffer: ChangeRow[] = [];
  private readonly job: PeriodicJob<number>;
  private readonly budget: ChangeBudget;
  private readonly recorded: MetricOf<'cloudpilot_changes_recorded_total'>;
  private readonly dropped: MetricOf<'cloudpilot_changes_dropped_total'>;
  private readonly placement: ClusterPlacement;

  constructor(
    @InjectRepository(ChangeRecord) private readonly records: Repository<ChangeRecord>,
    private readonly snapshots: ClusterSnapshots,
    private readonly configProvider: ConfigProvider,
    private readonly coordination: ReplicaCoordination,
    metrics: MetricsService,
    jobs: PeriodicJobs,
    @Optional() placement?: ClusterPlacement,
  ) {
    this.placement = placement ?? new EveryCluster();
    this.recorded = metrics.of('cloudpilot_changes_recorded_total');
    this.dropped = metrics.of('cloudpilot_changes_dropped_total');
    this.budget = new ChangeBudget(this.config.maxPerClusterPerDay, (clusterId, day) =>
      this.records.countBy({ clusterId, at: MoreThanOrEqual(`${day}T00:00:00.000Z`) }),
    );
    this.job = jobs.register({
      name: 'changes',
      everyMs: FLUSH_EVERY_MS,
      runsOn: recordingRunsOn(configProvider.config.sharding.enabled),
      tick: (now) => this.tick(now),
    });
    jobs.register(retentionJob('changes-retention', (now) => this.prune(now)));
  }

  private get config() {
    return this.configProvider.config.changes;
  }

  /** One tick as the timer runs it (tests call it to flush now): the number of rows stored. */
  async flush(now = Date.now()): Promise<number> {
    return (await this.job.run(now)) ?? 0;
  }

  onModuleDestroy(): void {
    for (const { unsubscribe } of this.attached.values()) unsubscribe();
    this.attached.clear();
  }

  private async tick(now: number): Promise<number> {
    if (this.config.enabled) this.attach();
    const rows = this.buffer;
    this.buffer = [];
    return this.store(rows, now);
  }

  /** Follows every running snapshot, and a cluster's new snapshot when its cache was replaced. */
  private attach(): void {
    const current = this.snapshots.all();
    for (const [clusterId, entry] of this.attached)
      if (current.get(clusterId) !== entry.snapshot) {
        entry.unsubscribe();
        this.attached.delete(clusterId);
      }
    for (const [clusterId, snapshot] of current) {
      if (this.attached.has(clusterId)) continue;
      const unsubscribe = snapshot.subscribe((event) => this.onEvent(snapshot, event));
      this.attached.set(clusterId, { snapshot, unsubscribe });
    }
  }

  private onEvent(snapshot: ClusterSnapshot, event: SnapshotChange): void {
    if (this.placement.sharded) {
      if (!this.placement.samples(snapshot.clusterId)) return;
    } else if (!this.coordination.isLeader()) {
      // The next time this replica leads, it counts the day from the database again.
      this.budget.reset();
      return;
    }
    const draft = changeFromEvent(event, snapshot.settled);
    if (!draft) return;
    if (this.buffer.length >= MAX_BUFFERED) {
      this.dropped.inc({ cluster: snapshot.clusterId, reason: 'buffer' });
      return;
    }
    this.buffer.push(changeRow(snapshot.clusterId, draft, Date.now()));
  }

  private async store(rows: ChangeRow[], now: number): Promise<number> {
    if (!rows.length) return 0;
    const kept: ChangeRow[] = [];
    for (const [clusterId, ofCluster] of groupBy(rows, (r) => r.clusterId)) {
      const granted = await this.budget.take(clusterId, dayOf(now), ofCluster.length);
      kept.push(...ofCluster.slice(0, granted));
      if (granted) this.recorded.inc({ cluster: clusterId }, granted);
      if (granted < ofCluster.length)
        this.dropped.inc({ cluster: clusterId, reason: 'budget' }, ofCluster.length - granted);
    }
    await insertNew(this.records, kept);
    return kept.length;
  }

  private async prune(now: number): Promise<void> {
    const cutoff = new Date(now - this.config.retentionDays * DAY_MS).toISOString();
    const result = await this.records.delete({ at: LessThan(cutoff) });
    if (result.affected) this.logger.log(`Expired ${result.affected} changes`);
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
