import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Columns } from '../database/column.decorator';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/**
 * One event for one route. Pending rows are the queue: read in pages in id order, one head per
 * (route, subject) at a time, so the events of one finding reach a target in order.
 */
@Entity('notification_delivery')
export class NotificationDelivery {
  @PrimaryGeneratedColumn('increment') id: number;
  @Columns.integer({ name: 'event_id' }) eventId: number;
  @Columns.varchar(36, { name: 'route_id' }) routeId: string;
  @Columns.varchar(128) subject: string;
  @Columns.varchar(16) status: DeliveryStatus;
  @Columns.integer() attempts: number;
  @Columns.isoTime({ name: 'next_attempt_at' }) nextAttemptAt: string;

  /** Why the last try failed (an HTTP status or a connection reason), never the target's URL. */
  @Columns.varchar(512, { name: 'last_error', nullable: true }) lastError: string | null;

  @Columns.isoTime({ name: 'delivered_at', nullable: true }) deliveredAt: string | null;
  @Columns.createdAt() createdAt: string;
}
