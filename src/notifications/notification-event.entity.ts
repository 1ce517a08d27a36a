import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Columns } from '../database/column.decorator';

/** An event committed to the outbox before any target is called; `key` is its idempotency key. */
@Entity('notification_event')
export class NotificationEventRow {
  @PrimaryGeneratedColumn('increment') id: number;
  @Columns.varchar(128, { unique: true }) key: string;
  @Columns.varchar(32) type: string;
  @Columns.clusterId(64) clusterId: string;

  /** JSON of the NotificationEvent. */
  @Columns.text() payload: string;

  @Columns.createdAt() createdAt: string;
}
