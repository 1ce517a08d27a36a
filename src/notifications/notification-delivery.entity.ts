import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/**
 * One event for one route. Pending rows are the queue: read in pages in id order, one head per
 * (route, subject) at a time, so the events of one finding reach a target in order.
 */
@Entity('notification_delivery')
export class NotificationDelivery {
  @PrimaryGeneratedColumn('increment')
  id: number;

  @Column({ name: 'event_id', type: 'integer' })
  eventId: number;

  @Column({ name: 'route_id', type: 'varchar', length: 36 })
  routeId: string;

  @Column({ type: 'varchar', length: 128 })
  subject: string;

  @Column({ type: 'varchar', length: 16 })
  status: DeliveryStatus;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'varchar', length: 32 })
  nextAttemptAt: string;

  /** Why the last try failed (an HTTP status or a connection reason), never the target's URL. */
  @Column({ name: 'last_error', type: 'varchar', length: 512, nullable: true })
  lastError: string | null;

  @Column({ name: 'delivered_at', type: 'varchar', length: 32, nullable: true })
  deliveredAt: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
