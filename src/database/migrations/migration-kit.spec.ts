import { QueryRunner } from 'typeorm';
import { col, CreateTablesMigration, index, table, unique } from './migration-kit';

describe('the migration kit', () => {
  it('makes a column NOT NULL unless flagged, and states only the flags given', () => {
    expect(col.varchar('name', 128, 'unique')).toEqual({
      name: 'name',
      type: 'varchar',
      length: '128',
      isUnique: true,
    });
    expect(col.clusterId(36, 'primary', 'nullable')).toEqual({
      name: 'cluster_id',
      type: 'varchar',
      length: '36',
      isPrimary: true,
      isNullable: true,
    });
    expect(col.text('grants', 'nullable')).toEqual({
      name: 'grants',
      type: 'text',
      isNullable: true,
    });
  });

  it('sorts a table’s parts into columns in order, indexes and unique constraints', () => {
    const made = table('t', [
      col.uuid('id', 'primary'),
      index('t_at', 'at', 'id'),
      col.isoTime('at'),
      unique('t_uq', 'id', 'at'),
    ]);
    expect(made.columns.map((c) => [c.name, c.type, c.length, c.isPrimary])).toEqual([
      ['id', 'varchar', '36', true],
      ['at', 'varchar', '32', false],
    ]);
    expect(made.indices.map((i) => [i.name, i.columnNames])).toEqual([['t_at', ['at', 'id']]]);
    expect(made.uniques.map((u) => [u.name, u.columnNames])).toEqual([['t_uq', ['id', 'at']]]);
  });

  it('creates the tables in order and drops them in reverse', async () => {
    class Two extends CreateTablesMigration {
      name = 'Two';
      protected tables = [table('a', [col.integer('x')]), table('b', [col.integer('y')])];
    }
    const calls: string[] = [];
    const runner = {
      createTable: async (t: { name: string }) => void calls.push(`create ${t.name}`),
      dropTable: async (name: string) => void calls.push(`drop ${name}`),
    } as unknown as QueryRunner;
    await new Two().up(runner);
    await new Two().down(runner);
    expect(calls).toEqual(['create a', 'create b', 'drop b', 'drop a']);
  });
});
