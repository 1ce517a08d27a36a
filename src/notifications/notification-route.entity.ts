import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A notification route: what it matches and the one target it sends to. The target's URL and
 * signing secret are sealed together (AES-256-GCM, the route id as associated data): a Slack
 * webhook URL is a secret by itself.
 */
@Entity('notification_route')
export class NotificationRoute {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 128, unique: true })
  name: string;

  @Column({ name: 'target_type', type: 'varchar', length: 16 })
  targetType: string;

  /** CloudEvents: structured or binary; empty for the others. */
  @Column({ type: 'varchar', length: 16 })
  mode: string;

  /** JSON of the RouteMatch. */
  @Column({ type: 'text' })
  match: string;

  /** JSON of the SealedCredential of { url, secret }. */
  @Column({ type: 'text' })
  sealed: string;

  @Column({ name: 'key_id', type: 'varchar', length: 16 })
  keyId: string;

  @Column({ name: 'group_wait_seconds', type: 'integer' })
  groupWaitSeconds: number;

  @Column({ name: 'repeat_interval_seconds', type: 'integer' })
  repeatIntervalSeconds: number;

  @Column({ name: 'rate_per_minute', type: 'integer' })
  ratePerMinute: number;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
