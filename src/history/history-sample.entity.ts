import { Entity, Index, PrimaryColumn } from 'typeorm';
import { Columns } from '../database/column.decorator';

/**
 * One sample of one scope (a cluster, or a namespace in it) at one monitor tick. The primary key
 * holds the tick's slot, so a tick is stored at most once however many replicas think they lead
 * for a moment: the database, not the election, is what forbids duplicates.
 */
@Entity('history_sample')
@Index('history_sample_at', ['at'])
export class HistorySample {
  @Columns.clusterIdPrimary() clusterId: string;

  /** cluster | namespace */
  @PrimaryColumn({ type: 'varchar', length: 16 }) scope: string;

  /** The namespace, or '' for the cluster scope. */
  @PrimaryColumn({ type: 'varchar', length: 253 }) name: string;

  /** floor(epoch ms / tick interval ms): the tick this sample belongs to. */
  @PrimaryColumn({ type: 'integer' }) slot: number;

  @Columns.isoTime() at: string;

  /** The metric values as JSON (see history-rows.ts); numbers are cores, bytes and counts. */
  @Columns.text() data: string;
}
