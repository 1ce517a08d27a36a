import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** API tokens and the audit log. Written with the Table API so one migration serves SQLite and PostgreSQL. */
export class InitialSchema1764100000000 implements MigrationInterface {
  name = 'InitialSchema1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'api_token',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '128', isUnique: true },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'public_id', type: 'varchar', length: '32', isUnique: true },
          { name: 'secret_hash', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'expires_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'last_used_at', type: 'varchar', length: '32', isNullable: true },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'audit_entry',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'at', type: 'varchar', length: '32' },
          { name: 'actor', type: 'varchar', length: '128' },
          { name: 'role', type: 'varchar', length: '16', isNullable: true },
          { name: 'method', type: 'varchar', length: '8' },
          { name: 'route', type: 'varchar', length: '256' },
          { name: 'path', type: 'varchar', length: '1024' },
          { name: 'target', type: 'varchar', length: '1024', isNullable: true },
          { name: 'status', type: 'integer' },
          { name: 'result_code', type: 'varchar', length: '64' },
          { name: 'request_id', type: 'varchar', length: '128' },
        ],
      }),
    );
    await runner.createIndex(
      'audit_entry',
      new TableIndex({ name: 'idx_audit_entry_at', columnNames: ['at'] }),
    );
    await runner.createIndex(
      'audit_entry',
      new TableIndex({ name: 'idx_audit_entry_actor', columnNames: ['actor'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('audit_entry');
    await runner.dropTable('api_token');
  }
}
