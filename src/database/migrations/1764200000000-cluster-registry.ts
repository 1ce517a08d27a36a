import { col, CreateTablesMigration, table } from './migration-kit';

const cluster = table('cluster', [
  col.uuid('id', 'primary'),
  col.varchar('name', 63, 'unique'),
  col.varchar('display_name', 256),
  col.varchar('description', 1024),
  col.text('labels'),
  col.varchar('server', 2048),
  col.varchar('auth_type', 32),
  ...col.sealedCredential(),
  col.boolean('is_default'),
  col.createdAt(),
  col.updatedAt(),
  col.varchar('last_status', 16),
  col.varchar('last_error_code', 64, 'nullable'),
  col.varchar('kubernetes_version', 64, 'nullable'),
  col.isoTime('checked_at', 'nullable'),
]);

/** The cluster registry of server mode; credentials only as AES-256-GCM ciphertext. */
export class ClusterRegistry1764200000000 extends CreateTablesMigration {
  name = 'ClusterRegistry1764200000000';
  protected tables = [cluster];
}
