import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Per-cluster Prometheus sources, sealed like cluster credentials (issue #28). */
export class Telemetry1764500000000 implements MigrationInterface {
  name = 'Telemetry1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'telemetry_source',
        columns: [
          { name: 'cluster_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'type', type: 'varchar', length: '16' },
          { name: 'target', type: 'varchar', length: '2048', isNullable: true },
          { name: 'auth_type', type: 'varchar', length: '16' },
          { name: 'credential_key_id', type: 'varchar', length: '32' },
          { name: 'credential_nonce', type: 'varchar', length: '32' },
          { name: 'credential_ciphertext', type: 'text' },
          { name: 'updated_at', type: 'varchar', length: '32' },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('telemetry_source');
  }
}
