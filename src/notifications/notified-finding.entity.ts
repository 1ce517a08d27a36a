import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Severity } from '../cluster-state/finding';

/** What the outbox last told about a finding (see finding-diff.ts). */
@Entity('notified_finding')
export class NotifiedFinding {
  @PrimaryColumn({ name: 'finding_id', type: 'varchar', length: 16 })
  findingId: string;

  @Column({ name: 'cluster_id', type: 'varchar', length: 64 })
  clusterId: string;

  @Column({ type: 'varchar', length: 16 })
  severity: Severity;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'boolean' })
  open: boolean;

  /** JSON of the finding as last notified. */
  @Column({ type: 'text' })
  finding: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;
}
