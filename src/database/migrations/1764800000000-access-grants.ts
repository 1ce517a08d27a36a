import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Grants on API tokens, and the principal's kind and grants on audit rows (issue #31). */
export class AccessGrants1764800000000 implements MigrationInterface {
  name = 'AccessGrants1764800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn(
      'api_token',
      new TableColumn({ name: 'grants', type: 'text', isNullable: true }),
    );
    await runner.addColumns('audit_entry', [
      new TableColumn({ name: 'principal_kind', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'grants', type: 'text', isNullable: true }),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumns('audit_entry', ['principal_kind', 'grants']);
    await runner.dropColumn('api_token', 'grants');
  }
}
