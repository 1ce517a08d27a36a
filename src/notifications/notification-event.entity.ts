import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An event committed to the outbox before any target is called; `key` is its idempotency key. */
@Entity('notification_event')
export class NotificationEventRow {
  @PrimaryGeneratedColumn('increment')
  id: number;

  @Column({ type: 'varchar', length: 128, unique: true })
  key: string;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  @Column({ name: 'cluster_id', type: 'varchar', length: 64 })
  clusterId: string;

  /** JSON of the NotificationEvent. */
  @Column({ type: 'text' })
  payload: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
