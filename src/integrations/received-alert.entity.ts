import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An alert as Alertmanager last sent it: one row per (receiver, fingerprint, startsAt), so the
 * re-sends of a firing alert and its resolution update one row, and a new firing is a new row.
 */
@Entity('received_alert')
export class ReceivedAlert {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'receiver_id', type: 'varchar', length: 36 })
  receiverId: string;

  @Column({ type: 'varchar', length: 64 })
  fingerprint: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'varchar', length: 256 })
  alertname: string;

  /** The CloudPilot cluster its labels name, when one matched. */
  @Column({ name: 'cluster_id', type: 'varchar', length: 64, nullable: true })
  clusterId: string | null;

  @Column({ type: 'text' })
  labels: string;

  @Column({ type: 'text' })
  annotations: string;

  @Column({ name: 'starts_at', type: 'varchar', length: 40 })
  startsAt: string;

  @Column({ name: 'ends_at', type: 'varchar', length: 40, nullable: true })
  endsAt: string | null;

  @Column({ name: 'generator_url', type: 'varchar', length: 2048, nullable: true })
  generatorUrl: string | null;

  /** JSON of the AlertLink list: the findings of its objects when it was last received. */
  @Column({ type: 'text' })
  links: string;

  @Column({ name: 'received_at', type: 'varchar', length: 32 })
  receivedAt: string;
}
