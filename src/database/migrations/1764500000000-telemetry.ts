import { col, CreateTablesMigration, table } from './migration-kit';

const telemetrySource = table('telemetry_source', [
  col.clusterId(36, 'primary'),
  col.varchar('type', 16),
  col.varchar('target', 2048, 'nullable'),
  col.varchar('auth_type', 16),
  ...col.sealedCredential(),
  col.updatedAt(),
]);

/** Per-cluster Prometheus sources, sealed like cluster credentials (issue #28). */
export class Telemetry1764500000000 extends CreateTablesMigration {
  name = 'Telemetry1764500000000';
  protected tables = [telemetrySource];
}
