import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Silences of diagnostics findings (issue #33): matchers, expiry, comment and author. */
export class DiagnosticsSilences1764600000000 implements MigrationInterface {
  name = 'DiagnosticsSilences1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'diagnostics_silence',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'cluster_id', type: 'varchar', length: '36' },
          { name: 'matchers', type: 'text' },
          { name: 'comment', type: 'varchar', length: '1024' },
          { name: 'author', type: 'varchar', length: '128' },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'expires_at', type: 'varchar', length: '32' },
        ],
      }),
    );
    await runner.createIndex(
      'diagnostics_silence',
      new TableIndex({ name: 'diagnostics_silence_cluster', columnNames: ['cluster_id'] }),
    );
    await runner.createIndex(
      'diagnostics_silence',
      new TableIndex({ name: 'diagnostics_silence_expires', columnNames: ['expires_at'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('diagnostics_silence');
  }
}
