import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableColumnOptions,
  TableIndexOptions,
  TableUniqueOptions,
} from 'typeorm';

/**
 * The words the migrations are written in. Released migrations are built from them, so changing
 * what one of them produces changes released schemas: test/e2e/migrations-schema.e2e-spec.ts pins
 * every migration's schema on SQLite and PostgreSQL and fails on such a change. A new kind of
 * column gets a new word; an existing word never changes.
 *
 * Only the column types both databases store alike are here (varchar(n), text, integer, bigint,
 * boolean), as the entities' `Columns` use them.
 */
export type ColumnFlag = 'primary' | 'unique' | 'nullable';

function column(
  name: string,
  type: string,
  flags: ColumnFlag[],
  length?: number,
): TableColumnOptions {
  return {
    name,
    type,
    ...(length === undefined ? {} : { length: String(length) }),
    ...(flags.includes('primary') ? { isPrimary: true } : {}),
    ...(flags.includes('unique') ? { isUnique: true } : {}),
    ...(flags.includes('nullable') ? { isNullable: true } : {}),
  };
}

/** Text of at most `length` characters. */
const varchar = (name: string, length: number, ...flags: ColumnFlag[]) =>
  column(name, 'varchar', flags, length);

/** A UUID (36 characters), as every generated id and the cluster ids are. */
const uuid = (name: string, ...flags: ColumnFlag[]) => column(name, 'varchar', flags, 36);

/** A moment as ISO-8601 UTC text (`toISOString()` is 24 characters; 32 leaves room). */
const isoTime = (name: string, ...flags: ColumnFlag[]) => column(name, 'varchar', flags, 32);

/** Unbounded text: JSON documents, ciphertext, messages. */
const text = (name: string, ...flags: ColumnFlag[]) => column(name, 'text', flags);

const integer = (name: string, ...flags: ColumnFlag[]) => column(name, 'integer', flags);

const bigint = (name: string, ...flags: ColumnFlag[]) => column(name, 'bigint', flags);

const boolean = (name: string, ...flags: ColumnFlag[]) => column(name, 'boolean', flags);

/** An integer primary key the database numbers (AUTOINCREMENT on SQLite, SERIAL on PostgreSQL). */
const serialId = (name: string): TableColumnOptions => ({
  ...column(name, 'integer', ['primary']),
  isGenerated: true,
  generationStrategy: 'increment',
});

/**
 * The registered cluster a row belongs to (`cluster_id`): 36 characters (a UUID) in some released
 * tables and 64 in others, as the entities' `Columns.clusterId` keeps them.
 */
const clusterId = (width: 36 | 64, ...flags: ColumnFlag[]) =>
  column('cluster_id', 'varchar', flags, width);

/**
 * The three columns a sealed credential is stored in, as the entities' `SealedCredentialRow`:
 * key id, nonce and AES-256-GCM ciphertext.
 */
const sealedCredential = (): TableColumnOptions[] => [
  varchar('credential_key_id', 32),
  varchar('credential_nonce', 32),
  text('credential_ciphertext'),
];

/**
 * The column kinds, as `col.varchar('name', 128, 'unique')`: each a column of that name and kind,
 * NOT NULL unless flagged `nullable`. The named ones mirror the entities' `Columns`.
 */
export const col = {
  varchar,
  uuid,
  isoTime,
  text,
  integer,
  bigint,
  boolean,
  serialId,
  clusterId,
  sealedCredential,
  createdAt: () => isoTime('created_at'),
  updatedAt: () => isoTime('updated_at'),
};

/** An index or a multi-column unique constraint, listed after a table's columns as in SQL. */
export interface TableConstraint {
  index?: TableIndexOptions;
  unique?: TableUniqueOptions;
}

/** A (non-unique) index over `columns`, in that order. */
export const index = (name: string, ...columnNames: string[]): TableConstraint => ({
  index: { name, columnNames },
});

/** A unique constraint over several columns (a single column takes the `unique` flag instead). */
export const unique = (name: string, ...columnNames: string[]): TableConstraint => ({
  unique: { name, columnNames },
});

/** A table: its columns in order, then its indexes and unique constraints. */
export function table(name: string, parts: (TableColumnOptions | TableConstraint)[]): Table {
  const constraints = parts.filter((p): p is TableConstraint => !('name' in p));
  return new Table({
    name,
    columns: parts.filter((p): p is TableColumnOptions => 'name' in p),
    indices: constraints.flatMap((c) => (c.index ? [c.index] : [])),
    uniques: constraints.flatMap((c) => (c.unique ? [c.unique] : [])),
  });
}

/**
 * A migration that creates its tables in order and drops them in reverse: most migrations are one.
 * A subclass states only its `name` (as released) and its `tables`.
 */
export abstract class CreateTablesMigration implements MigrationInterface {
  abstract readonly name: string;
  protected abstract readonly tables: Table[];

  async up(runner: QueryRunner): Promise<void> {
    for (const created of this.tables) await runner.createTable(created);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const created of [...this.tables].reverse()) await runner.dropTable(created.name);
  }
}
