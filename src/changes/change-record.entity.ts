import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

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
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id: string;

  @Column({ name: 'cluster_id', type: 'varchar', length: 36 })
  clusterId: string;

  /** When the watch delivered the change (ISO-8601, milliseconds). */
  @Column({ type: 'varchar', length: 32 })
  at: string;

  @Column({ name: 'api_group', type: 'varchar', length: 253 })
  group: string;

  @Column({ type: 'varchar', length: 64 })
  kind: string;

  /** '' for cluster-scoped objects (nodes). */
  @Column({ type: 'varchar', length: 253 })
  namespace: string;

  @Column({ type: 'varchar', length: 253 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  category: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  manager: string | null;

  @Column({ type: 'text' })
  summary: string;

  /** The FieldChange list as JSON; secret-looking values are hashes, never values. */
  @Column({ type: 'text' })
  diff: string;
}
