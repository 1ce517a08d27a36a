import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from './migration-kit';

/** Grants on API tokens, and the principal's kind and grants on audit rows (issue #31). */
export class AccessGrants1764800000000 implements MigrationInterface {
  name = 'AccessGrants1764800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('api_token', new TableColumn(col.text('grants', 'nullable')));
    await runner.addColumns('audit_entry', [
      new TableColumn(col.varchar('principal_kind', 16, 'nullable')),
      new TableColumn(col.text('grants', 'nullable')),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumns('audit_entry', ['principal_kind', 'grants']);
    await runner.dropColumn('api_token', 'grants');
  }
}
