import { Entity, Index } from 'typeorm';
import { Columns } from '../database/column.decorator';

/**
 * A silence as stored: shared by every replica (the database is what they share), so one created
 * on any replica silences on all of them and survives a restart. Times are ISO-8601 UTC strings,
 * which compare in time order.
 */
@Entity('diagnostics_silence')
export class DiagnosticsSilence {
  @Columns.uuidPrimary() id: string;

  @Index('diagnostics_silence_cluster')
  @Columns.clusterId(36)
  clusterId: string;

  /** The matchers as JSON (SilenceMatchers). */
  @Columns.text() matchers: string;

  @Columns.varchar(1024) comment: string;

  /** The principal that created it. */
  @Columns.varchar(128) author: string;

  @Columns.createdAt() createdAt: string;

  /** Set to the moment of expiry when a silence is expired early. */
  @Index('diagnostics_silence_expires')
  @Columns.isoTime({ name: 'expires_at' })
  expiresAt: string;
}
