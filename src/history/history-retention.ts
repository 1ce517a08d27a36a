import type { Repository } from 'typeorm';
import type { HistorySample } from './history-sample.entity';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** One resolution tier: samples older than `after` keep one per `everyMs`. */
export interface RetentionTier {
  after: number;
  everyMs: number;
}

/** Every tick for a day, one per 15 minutes for 30 days, one per hour after that. */
export const RETENTION_TIERS: readonly RetentionTier[] = [
  { after: DAY_MS, everyMs: 15 * MINUTE_MS },
  { after: 30 * DAY_MS, everyMs: 60 * MINUTE_MS },
];

/**
 * Keeps the stored history bounded: downsamples older samples by keeping the first sample of each
 * bucket (a real sample, never an average that no tick saw) and deletes what is older than the
 * retention. Buckets are whole numbers of ticks, so bucket = floor(slot / ticks per bucket) in SQL
 * that SQLite and PostgreSQL read the same (integer division of integers).
 */
export class HistoryRetention {
  constructor(
    private readonly samples: Repository<HistorySample>,
    private readonly tickMs: number,
  ) {}

  /** Returns the number of rows deleted. */
  async compact(now: number, retentionDays: number): Promise<number> {
    let deleted = 0;
    for (const tier of RETENTION_TIERS) {
      const ticks = Math.max(1, Math.round(tier.everyMs / this.tickMs));
      if (ticks > 1) deleted += await this.downsample(new Date(now - tier.after), ticks);
    }
    const cutoff = new Date(now - retentionDays * DAY_MS).toISOString();
    const result = await this.samples
      .createQueryBuilder()
      .delete()
      .where('at < :cutoff', { cutoff })
      .execute();
    return deleted + (result.affected ?? 0);
  }

  private async downsample(before: Date, ticks: number): Promise<number> {
    const result = await this.samples
      .createQueryBuilder()
      .delete()
      .where('at < :before', { before: before.toISOString() })
      .andWhere(
        // The slot range (not just the bucket expression) lets the primary key find the bucket.
        `slot <> (SELECT MIN(k.slot) FROM history_sample k
          WHERE k.cluster_id = history_sample.cluster_id AND k.scope = history_sample.scope
            AND k.name = history_sample.name
            AND k.slot >= (history_sample.slot / :ticks) * :ticks
            AND k.slot < (history_sample.slot / :ticks + 1) * :ticks)`,
        { ticks },
      )
      .execute();
    return result.affected ?? 0;
  }
}
