import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A silence as stored: shared by every replica (the database is what they share), so one created
 * on any replica silences on all of them and survives a restart. Times are ISO-8601 UTC strings,
 * which compare in time order.
 */
@Entity('diagnostics_silence')
export class DiagnosticsSilence {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('diagnostics_silence_cluster')
  @Column({ name: 'cluster_id', type: 'varchar', length: 36 })
  clusterId: string;

  /** The matchers as JSON (SilenceMatchers). */
  @Column({ type: 'text' })
  matchers: string;

  @Column({ type: 'varchar', length: 1024 })
  comment: string;

  /** The principal that created it. */
  @Column({ type: 'varchar', length: 128 })
  author: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  /** Set to the moment of expiry when a silence is expired early. */
  @Index('diagnostics_silence_expires')
  @Column({ name: 'expires_at', type: 'varchar', length: 32 })
  expiresAt: string;
}
