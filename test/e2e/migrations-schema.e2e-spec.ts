import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/database-options';
import { MIGRATIONS } from '../../src/database/migrations';
import { startPostgres, PostgresServer } from '../support/postgres-server';

/**
 * Released migrations are never to change their effect: this pins, per migration and per database,
 * every line of schema it adds or removes, and checks that each `down` returns to the schema before
 * its `up`. The fixtures are written once from the migrations as released
 * (`CLOUDPILOT_WRITE_SCHEMA_FIXTURES=1`); a rewrite of the migrations must leave them as they are.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'schema');

/** The whole schema of the database as sorted lines, one per table, index or column. */
type Snapshot = (source: DataSource) => Promise<string[]>;

const sqliteSchema: Snapshot = async (source) => {
  const rows: { type: string; name: string; tbl_name: string; sql: string | null }[] =
    await source.query(
      `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'`,
    );
  return rows.map((r) => `${r.type} ${r.tbl_name}.${r.name}: ${r.sql ?? '(implicit)'}`).sort();
};

const postgresSchema: Snapshot = async (source) => {
  const columns: Record<string, unknown>[] = await source.query(
    `SELECT table_name, ordinal_position, column_name, data_type, character_maximum_length,
            numeric_precision, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  const indexes: Record<string, unknown>[] = await source.query(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
  );
  const constraints: Record<string, unknown>[] = await source.query(
    `SELECT c.conrelid::regclass::text AS table_name, c.conname, c.contype,
            pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public'`,
  );
  const sequences: Record<string, unknown>[] = await source.query(
    `SELECT sequence_name, data_type, start_value, increment FROM information_schema.sequences
      WHERE sequence_schema = 'public'`,
  );
  const line = (kind: string, row: Record<string, unknown>) =>
    `${kind} ${Object.values(row)
      .map((v) => String(v))
      .join(' | ')}`;
  return [
    ...columns.map((r) => line('column', r)),
    ...indexes.map((r) => line('index', r)),
    ...constraints.map((r) => line('constraint', r)),
    ...sequences.map((r) => line('sequence', r)),
  ].sort();
};

function delta(before: string[], after: string[]): string[] {
  const removed = before.filter((l) => !after.includes(l)).map((l) => `- ${l}`);
  const added = after.filter((l) => !before.includes(l)).map((l) => `+ ${l}`);
  return [...removed, ...added];
}

async function withSource<T>(
  url: string,
  count: number,
  use: (source: DataSource) => Promise<T>,
): Promise<T> {
  const options = { ...dataSourceOptions(url, []), migrationsRun: false };
  const source = await new DataSource({
    ...options,
    migrations: MIGRATIONS.slice(0, count),
  }).initialize();
  try {
    return await use(source);
  } finally {
    await source.destroy();
  }
}

/**
 * Applies the migrations one at a time and snapshots the schema after each; then reverts them one
 * at a time, each revert expected to give back the schema from before that migration.
 */
async function checkMigrations(url: string, snapshot: Snapshot, fixture: string): Promise<void> {
  const steps: string[][] = [];
  for (let i = 0; i <= MIGRATIONS.length; i++)
    steps.push(
      await withSource(url, i, async (source) => {
        await source.runMigrations({ transaction: 'each' });
        return snapshot(source);
      }),
    );
  const text = MIGRATIONS.map(
    (m, i) => `## ${m.name}\n${delta(steps[i], steps[i + 1]).join('\n')}\n`,
  ).join('\n');
  const file = join(FIXTURES, fixture);
  if (process.env.CLOUDPILOT_WRITE_SCHEMA_FIXTURES === '1') writeFileSync(file, text);
  const recorded = readFileSync(file, 'utf8');
  const unrecorded = MIGRATIONS.map((m) => m.name).filter((n) => !recorded.includes(`## ${n}\n`));
  if (unrecorded.length > 0)
    throw new Error(
      `no recorded schema for ${unrecorded.join(', ')} in test/fixtures/schema/${fixture}: record a ` +
        `new migration with CLOUDPILOT_WRITE_SCHEMA_FIXTURES=1 and check that the fixture's diff ` +
        `only adds its section`,
    );
  expect(text).toBe(recorded);

  const reverted = await withSource(url, MIGRATIONS.length, async (source) => {
    const after: string[][] = [];
    for (let i = 0; i < MIGRATIONS.length; i++) {
      await source.undoLastMigration({ transaction: 'each' });
      after.unshift(await snapshot(source));
    }
    return after;
  });
  expect(reverted).toEqual(steps.slice(0, MIGRATIONS.length));
}

describe('the released migrations keep their schema', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cp-schema-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('on SQLite: each migration adds exactly its recorded schema, and its down removes it', async () => {
    await checkMigrations(`sqlite:///${join(dir, 'schema.db')}`, sqliteSchema, 'sqlite.txt');
  });

  describe('on PostgreSQL', () => {
    let pg: PostgresServer;
    beforeAll(async () => (pg = await startPostgres()), 60_000);
    afterAll(() => pg?.stop());

    it('each migration adds exactly its recorded schema, and its down removes it', async () => {
      await checkMigrations(pg.url, postgresSchema, 'postgres.txt');
    }, 60_000);
  });
});
