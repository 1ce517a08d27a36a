import { col, CreateTablesMigration, index, table } from './migration-kit';

const diagnosticsSilence = table('diagnostics_silence', [
  col.uuid('id', 'primary'),
  col.clusterId(36),
  col.text('matchers'),
  col.varchar('comment', 1024),
  col.varchar('author', 128),
  col.createdAt(),
  col.isoTime('expires_at'),
  index('diagnostics_silence_cluster', 'cluster_id'),
  index('diagnostics_silence_expires', 'expires_at'),
]);

/** Silences of diagnostics findings (issue #33): matchers, expiry, comment and author. */
export class DiagnosticsSilences1764600000000 extends CreateTablesMigration {
  name = 'DiagnosticsSilences1764600000000';
  protected tables = [diagnosticsSilence];
}
