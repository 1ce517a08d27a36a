import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** The change timeline recorded from the watches by the leader replica (issue #30). */
export class Changes1764700000000 implements MigrationInterface {
  name = 'Changes1764700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'change_record',
        columns: [
          { name: 'id', type: 'varchar', length: '32', isPrimary: true },
          { name: 'cluster_id', type: 'varchar', length: '36' },
          { name: 'at', type: 'varchar', length: '32' },
          { name: 'api_group', type: 'varchar', length: '253' },
          { name: 'kind', type: 'varchar', length: '64' },
          { name: 'namespace', type: 'varchar', length: '253' },
          { name: 'name', type: 'varchar', length: '253' },
          { name: 'category', type: 'varchar', length: '16' },
          { name: 'manager', type: 'varchar', length: '128', isNullable: true },
          { name: 'summary', type: 'text' },
          { name: 'diff', type: 'text' },
        ],
      }),
    );
    await runner.createIndex(
      'change_record',
      new TableIndex({ name: 'change_record_cluster_at', columnNames: ['cluster_id', 'at'] }),
    );
    await runner.createIndex(
      'change_record',
      new TableIndex({
        name: 'change_record_object',
        columnNames: ['cluster_id', 'namespace', 'name', 'at'],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('change_record');
  }
}
