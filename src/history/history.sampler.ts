import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ConfigProvider } from '../config/config.provider';
import { ReplicaCoordination } from '../coordination/replica-coordination';
import { ClusterSnapshots } from '../monitor/cluster-snapshot';
import { FindingCounts, withFindingCounts } from './finding-counts';
import { HistorySample } from './history-sample.entity';
import { HistoryRetention } from './history-retention';
import { historyRows, HistoryRow, hpaRows, nodeRows, slotOf, workloadRows } from './history-rows';

const PRUNE_EVERY_MS = 3_600_000;
const INSERT_CHUNK = 200;

/**
 * Leader-only: writes one history sample per cluster (and per namespace, node, node pool and
 * restarting workload) per monitor tick. Ticks
 * are aligned to the middle of their slot on the wall clock, so every replica's timer agrees on
 * which tick is which: a new leader continues the series where the old one stopped, and a tick two
 * replicas both sample is stored once (the slot is in the primary key). Followers only keep time.
 */
@Injectable()
export class HistorySampler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('History');
  private timer: NodeJS.Timeout | undefined;
  private lastPrune = 0;
  private stopped = false;

  constructor(
    @InjectRepository(HistorySample) private readonly samples: Repository<HistorySample>,
    private readonly snapshots: ClusterSnapshots,
    private readonly coordination: ReplicaCoordination,
    private readonly configProvider: ConfigProvider,
    private readonly findingCounts: FindingCounts,
  ) {}

  private get intervalMs(): number {
    return this.configProvider.config.monitor.refreshIntervalSeconds * 1000;
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One tick: what the timer calls and tests call. Returns the number of rows written. */
  async sample(now = Date.now()): Promise<number> {
    if (!this.coordination.isLeader()) return 0;
    const slot = slotOf(now, this.intervalMs);
    const at = new Date(now).toISOString();
    const rows: HistoryRow[] = [];
    for (const snapshot of this.snapshots.all().values()) {
      // A cache on its first sync, or with every watch down, would record zeros, not the cluster.
      if (!snapshot.settled || snapshot.down) continue;
      const pools = this.configProvider.config.history.nodePoolLabels;
      const counts = await this.findingCounts.of(snapshot.clusterId);
      rows.push(
        ...withFindingCounts(historyRows(snapshot, slot, at), counts),
        ...nodeRows(snapshot, pools, slot, at),
        ...workloadRows(snapshot, slot, at),
        ...hpaRows(snapshot, slot, at),
      );
    }
    await this.insert(rows);
    if (now - this.lastPrune >= PRUNE_EVERY_MS) await this.prune(now);
    return rows.length;
  }

  private async insert(rows: HistoryRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK).map(({ values, ...key }) => ({
        ...key,
        data: JSON.stringify(values),
      }));
      await this.samples.createQueryBuilder().insert().values(chunk).orIgnore().execute();
    }
  }

  private async prune(now: number): Promise<void> {
    const retention = new HistoryRetention(this.samples, this.intervalMs);
    const deleted = await retention.compact(now, this.configProvider.config.history.retentionDays);
    this.lastPrune = now;
    if (deleted) this.logger.log(`Downsampled or expired ${deleted} history samples`);
  }

  /** Next run at the middle of the next slot, far from both edges, so timer jitter never skips one. */
  private schedule(): void {
    if (this.stopped) return;
    const interval = this.intervalMs;
    const now = Date.now();
    const next = (slotOf(now, interval) + 1) * interval + interval / 2;
    this.timer = setTimeout(() => void this.run(), next - now);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    try {
      await this.sample();
    } catch (error) {
      this.logger.warn(`History sample failed: ${(error as Error).message}`);
    } finally {
      this.schedule();
    }
  }
}
