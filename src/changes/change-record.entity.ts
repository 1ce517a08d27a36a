import { Entity, Index, PrimaryColumn } from 'typeorm';
import { Columns } from '../database/column.decorator';

/**
 * One change of one object (docs/changes.md), written by the leader replica. The id is derived
 * from the cluster, the object, its resourceVersion and the change's category, so a change two
 * replicas both record during a leadership hand-over is stored once: the database, not the
 * election, forbids duplicates.
 */
@Entity('change_record')
@Index('change_record_cluster_at', ['clusterId', 'at'])
@Index('change_record_object', ['clusterId', 'namespace', 'name', 'at'])
export class ChangeRecord {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id: string;
  @Columns.clusterId(36) clusterId: string;

  /** When the watch delivered the change (ISO-8601, milliseconds). */
  @Columns.isoTime() at: string;

  @Columns.varchar(253, { name: 'api_group' }) group: string;
  @Columns.varchar(64) kind: string;

  /** '' for cluster-scoped objects (nodes). */
  @Columns.varchar(253) namespace: string;

  @Columns.varchar(253) name: string;
  @Columns.varchar(16) category: string;
  @Columns.varchar(128, { nullable: true }) manager: string | null;
  @Columns.text() summary: string;

  /** The FieldChange list as JSON; secret-looking values are hashes, never values. */
  @Columns.text() diff: string;
}
