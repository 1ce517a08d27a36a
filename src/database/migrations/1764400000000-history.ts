import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Per-tick history sampled by the leader replica (issue #16, first part of #18). */
export class History1764400000000 implements MigrationInterface {
  name = 'History1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'history_sample',
        columns: [
          { name: 'cluster_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'scope', type: 'varchar', length: '16', isPrimary: true },
          { name: 'name', type: 'varchar', length: '253', isPrimary: true },
          { name: 'slot', type: 'integer', isPrimary: true },
          { name: 'at', type: 'varchar', length: '32' },
          { name: 'data', type: 'text' },
        ],
      }),
    );
    await runner.createIndex(
      'history_sample',
      new TableIndex({ name: 'history_sample_at', columnNames: ['at'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('history_sample');
  }
}
