import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The cluster registry of server mode; credentials only as AES-256-GCM ciphertext. */
export class ClusterRegistry1764200000000 implements MigrationInterface {
  name = 'ClusterRegistry1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'cluster',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '63', isUnique: true },
          { name: 'display_name', type: 'varchar', length: '256' },
          { name: 'description', type: 'varchar', length: '1024' },
          { name: 'labels', type: 'text' },
          { name: 'server', type: 'varchar', length: '2048' },
          { name: 'auth_type', type: 'varchar', length: '32' },
          { name: 'credential_key_id', type: 'varchar', length: '32' },
          { name: 'credential_nonce', type: 'varchar', length: '32' },
          { name: 'credential_ciphertext', type: 'text' },
          { name: 'is_default', type: 'boolean' },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'updated_at', type: 'varchar', length: '32' },
          { name: 'last_status', type: 'varchar', length: '16' },
          { name: 'last_error_code', type: 'varchar', length: '64', isNullable: true },
          { name: 'kubernetes_version', type: 'varchar', length: '64', isNullable: true },
          { name: 'checked_at', type: 'varchar', length: '32', isNullable: true },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('cluster');
  }
}
