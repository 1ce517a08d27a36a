import { col, CreateTablesMigration, table } from './migration-kit';

const telemetrySource = table('telemetry_source', [
  col.uuid('cluster_id', 'primary'),
  col.varchar('type', 16),
  col.varchar('target', 2048, 'nullable'),
  col.varchar('auth_type', 16),
  col.varchar('credential_key_id', 32),
  col.varchar('credential_nonce', 32),
  col.text('credential_ciphertext'),
  col.isoTime('updated_at'),
]);

/** Per-cluster Prometheus sources, sealed like cluster credentials (issue #28). */
export class Telemetry1764500000000 extends CreateTablesMigration {
  name = 'Telemetry1764500000000';
  protected tables = [telemetrySource];
}
