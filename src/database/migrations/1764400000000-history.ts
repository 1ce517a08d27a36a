import { col, CreateTablesMigration, index, table } from './migration-kit';

const historySample = table('history_sample', [
  col.clusterId(36, 'primary'),
  col.varchar('scope', 16, 'primary'),
  col.varchar('name', 253, 'primary'),
  col.integer('slot', 'primary'),
  col.isoTime('at'),
  col.text('data'),
  index('history_sample_at', 'at'),
]);

/** Per-tick history sampled by the leader replica (issue #16, first part of #18). */
export class History1764400000000 extends CreateTablesMigration {
  name = 'History1764400000000';
  protected tables = [historySample];
}
