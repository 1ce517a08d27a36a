import { col, CreateTablesMigration, index, table } from './migration-kit';

const apiToken = table('api_token', [
  col.uuid('id', 'primary'),
  col.varchar('name', 128, 'unique'),
  col.varchar('role', 16),
  col.varchar('public_id', 32, 'unique'),
  col.varchar('secret_hash', 64),
  col.createdAt(),
  col.isoTime('expires_at', 'nullable'),
  col.isoTime('last_used_at', 'nullable'),
]);

const auditEntry = table('audit_entry', [
  col.uuid('id', 'primary'),
  col.isoTime('at'),
  col.varchar('actor', 128),
  col.varchar('role', 16, 'nullable'),
  col.varchar('method', 8),
  col.varchar('route', 256),
  col.varchar('path', 1024),
  col.varchar('target', 1024, 'nullable'),
  col.integer('status'),
  col.varchar('result_code', 64),
  col.varchar('request_id', 128),
  index('idx_audit_entry_at', 'at'),
  index('idx_audit_entry_actor', 'actor'),
]);

/** API tokens and the audit log. Written with the Table API so one migration serves SQLite and PostgreSQL. */
export class InitialSchema1764100000000 extends CreateTablesMigration {
  name = 'InitialSchema1764100000000';
  protected tables = [apiToken, auditEntry];
}
