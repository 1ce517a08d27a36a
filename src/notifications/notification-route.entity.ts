import { Entity } from 'typeorm';
import { Columns } from '../database/column.decorator';

/**
 * A notification route: what it matches and the one target it sends to. The target's URL and
 * signing secret are sealed together (AES-256-GCM, the route id as associated data): a Slack
 * webhook URL is a secret by itself.
 */
@Entity('notification_route')
export class NotificationRoute {
  @Columns.uuidPrimary() id: string;
  @Columns.varchar(128, { unique: true }) name: string;
  @Columns.varchar(16, { name: 'target_type' }) targetType: string;

  /** CloudEvents: structured or binary; empty for the others. */
  @Columns.varchar(16) mode: string;

  /** JSON of the RouteMatch. */
  @Columns.text() match: string;

  /** JSON of the SealedCredential of { url, secret }. */
  @Columns.text() sealed: string;

  @Columns.varchar(16, { name: 'key_id' }) keyId: string;
  @Columns.integer({ name: 'group_wait_seconds' }) groupWaitSeconds: number;
  @Columns.integer({ name: 'repeat_interval_seconds' }) repeatIntervalSeconds: number;
  @Columns.integer({ name: 'rate_per_minute' }) ratePerMinute: number;
  @Columns.createdAt() createdAt: string;
}
