import { MigrationInterface, QueryRunner, Table } from 'typeorm';

const id = {
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment' as const,
};
const text = (name: string) => ({ name, type: 'text' });
const str = (name: string, length: number, isNullable = false) => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
});
const int = (name: string) => ({ name, type: 'integer' });

/** Notification routes and their durable outbox; alerts taken in from Alertmanager (issue #32). */
export class Integrations1764900000000 implements MigrationInterface {
  name = 'Integrations1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'notification_route',
        columns: [
          { ...str('id', 36), isPrimary: true },
          { ...str('name', 128), isUnique: true },
          str('target_type', 16),
          str('mode', 16),
          text('match'),
          text('sealed'),
          str('key_id', 16),
          int('group_wait_seconds'),
          int('repeat_interval_seconds'),
          int('rate_per_minute'),
          str('created_at', 32),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'notification_event',
        columns: [
          id,
          { ...str('key', 128), isUnique: true },
          str('type', 32),
          str('cluster_id', 64),
          text('payload'),
          str('created_at', 32),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'notification_delivery',
        columns: [
          id,
          int('event_id'),
          str('route_id', 36),
          str('subject', 128),
          str('status', 16),
          int('attempts'),
          str('next_attempt_at', 32),
          str('last_error', 512, true),
          str('delivered_at', 32, true),
          str('created_at', 32),
        ],
        indices: [
          { name: 'idx_delivery_queue', columnNames: ['route_id', 'status', 'next_attempt_at'] },
          { name: 'idx_delivery_subject', columnNames: ['route_id', 'subject', 'status'] },
          { name: 'idx_delivery_event', columnNames: ['event_id'] },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'notified_finding',
        columns: [
          { ...str('finding_id', 16), isPrimary: true },
          str('cluster_id', 64),
          str('severity', 16),
          int('seq'),
          { name: 'open', type: 'boolean' },
          text('finding'),
          str('updated_at', 32),
        ],
        indices: [{ name: 'idx_notified_finding_cluster', columnNames: ['cluster_id', 'open'] }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'alert_receiver',
        columns: [
          { ...str('id', 36), isPrimary: true },
          { ...str('name', 128), isUnique: true },
          { ...str('public_id', 32), isUnique: true },
          str('secret_hash', 64),
          str('created_at', 32),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'received_alert',
        columns: [
          { ...str('id', 36), isPrimary: true },
          str('receiver_id', 36),
          str('fingerprint', 64),
          str('status', 16),
          str('alertname', 256),
          str('cluster_id', 64, true),
          text('labels'),
          text('annotations'),
          str('starts_at', 40),
          str('ends_at', 40, true),
          str('generator_url', 2048, true),
          text('links'),
          str('received_at', 32),
        ],
        uniques: [
          { name: 'uq_received_alert', columnNames: ['receiver_id', 'fingerprint', 'starts_at'] },
        ],
        indices: [{ name: 'idx_received_alert_time', columnNames: ['received_at'] }],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'received_alert',
      'alert_receiver',
      'notified_finding',
      'notification_delivery',
      'notification_event',
      'notification_route',
    ])
      await runner.dropTable(table);
  }
}
