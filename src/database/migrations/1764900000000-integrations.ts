import { col, CreateTablesMigration, index, table, unique } from './migration-kit';

const notificationRoute = table('notification_route', [
  col.uuid('id', 'primary'),
  col.varchar('name', 128, 'unique'),
  col.varchar('target_type', 16),
  col.varchar('mode', 16),
  col.text('match'),
  col.text('sealed'),
  col.varchar('key_id', 16),
  col.integer('group_wait_seconds'),
  col.integer('repeat_interval_seconds'),
  col.integer('rate_per_minute'),
  col.createdAt(),
]);

const notificationEvent = table('notification_event', [
  col.serialId('id'),
  col.varchar('key', 128, 'unique'),
  col.varchar('type', 32),
  col.clusterId(64),
  col.text('payload'),
  col.createdAt(),
]);

const notificationDelivery = table('notification_delivery', [
  col.serialId('id'),
  col.integer('event_id'),
  col.uuid('route_id'),
  col.varchar('subject', 128),
  col.varchar('status', 16),
  col.integer('attempts'),
  col.isoTime('next_attempt_at'),
  col.varchar('last_error', 512, 'nullable'),
  col.isoTime('delivered_at', 'nullable'),
  col.createdAt(),
  index('idx_delivery_queue', 'route_id', 'status', 'next_attempt_at'),
  index('idx_delivery_subject', 'route_id', 'subject', 'status'),
  index('idx_delivery_event', 'event_id'),
]);

const notifiedFinding = table('notified_finding', [
  col.varchar('finding_id', 16, 'primary'),
  col.clusterId(64),
  col.varchar('severity', 16),
  col.integer('seq'),
  col.boolean('open'),
  col.text('finding'),
  col.updatedAt(),
  index('idx_notified_finding_cluster', 'cluster_id', 'open'),
]);

const alertReceiver = table('alert_receiver', [
  col.uuid('id', 'primary'),
  col.varchar('name', 128, 'unique'),
  col.varchar('public_id', 32, 'unique'),
  col.varchar('secret_hash', 64),
  col.createdAt(),
]);

const receivedAlert = table('received_alert', [
  col.uuid('id', 'primary'),
  col.uuid('receiver_id'),
  col.varchar('fingerprint', 64),
  col.varchar('status', 16),
  col.varchar('alertname', 256),
  col.clusterId(64, 'nullable'),
  col.text('labels'),
  col.text('annotations'),
  col.varchar('starts_at', 40),
  col.varchar('ends_at', 40, 'nullable'),
  col.varchar('generator_url', 2048, 'nullable'),
  col.text('links'),
  col.isoTime('received_at'),
  unique('uq_received_alert', 'receiver_id', 'fingerprint', 'starts_at'),
  index('idx_received_alert_time', 'received_at'),
]);

/** Notification routes and their durable outbox; alerts taken in from Alertmanager (issue #32). */
export class Integrations1764900000000 extends CreateTablesMigration {
  name = 'Integrations1764900000000';
  protected tables = [
    notificationRoute,
    notificationEvent,
    notificationDelivery,
    notifiedFinding,
    alertReceiver,
    receivedAlert,
  ];
}
