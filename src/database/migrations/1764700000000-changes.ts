import { col, CreateTablesMigration, index, table } from './migration-kit';

const changeRecord = table('change_record', [
  col.varchar('id', 32, 'primary'),
  col.clusterId(36),
  col.isoTime('at'),
  col.varchar('api_group', 253),
  col.varchar('kind', 64),
  col.varchar('namespace', 253),
  col.varchar('name', 253),
  col.varchar('category', 16),
  col.varchar('manager', 128, 'nullable'),
  col.text('summary'),
  col.text('diff'),
  index('change_record_cluster_at', 'cluster_id', 'at'),
  index('change_record_object', 'cluster_id', 'namespace', 'name', 'at'),
]);

/** The change timeline recorded from the watches by the leader replica (issue #30). */
export class Changes1764700000000 extends CreateTablesMigration {
  name = 'Changes1764700000000';
  protected tables = [changeRecord];
}
