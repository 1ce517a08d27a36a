import { Entity, PrimaryColumn } from 'typeorm';
import type { Severity } from '../cluster-state/finding';
import { Columns } from '../database/column.decorator';

/** What the outbox last told about a finding (see finding-diff.ts). */
@Entity('notified_finding')
export class NotifiedFinding {
  @PrimaryColumn({ name: 'finding_id', type: 'varchar', length: 16 }) findingId: string;
  @Columns.clusterId(64) clusterId: string;
  @Columns.varchar(16) severity: Severity;
  @Columns.integer() seq: number;
  @Columns.boolean() open: boolean;

  /** JSON of the finding as last notified. */
  @Columns.text() finding: string;

  @Columns.updatedAt() updatedAt: string;
}
