import { Column, ColumnOptions, PrimaryColumn } from 'typeorm';

type ColumnExtras = Pick<ColumnOptions, 'name' | 'nullable' | 'unique'>;

/** Text of at most `length` characters. */
function varchar(length: number, extras: ColumnExtras = {}): PropertyDecorator {
  return Column({ ...extras, type: 'varchar', length });
}

/**
 * A moment as ISO-8601 UTC text (`toISOString()`, 24 characters): it sorts and compares in time
 * order on both databases, and reads back exactly as written.
 */
function isoTime(extras: ColumnExtras = {}): PropertyDecorator {
  return varchar(32, extras);
}

/**
 * The column kinds every table is made of, each written once, as `@Columns.varchar(128)`. They map
 * to exactly the column types the migrations create (varchar(n), text, integer, boolean), which
 * SQLite and PostgreSQL store alike; an entity states only a column's name (when not its
 * property's), length, nullability and uniqueness.
 */
export const Columns = {
  varchar,
  /** Unbounded text: JSON documents, ciphertext, messages. */
  text: (extras: ColumnExtras = {}): PropertyDecorator => Column({ ...extras, type: 'text' }),
  integer: (extras: ColumnExtras = {}): PropertyDecorator => Column({ ...extras, type: 'integer' }),
  boolean: (extras: ColumnExtras = {}): PropertyDecorator => Column({ ...extras, type: 'boolean' }),
  /** A generated id (a UUID) as the primary key. */
  uuidPrimary: (): PropertyDecorator => PrimaryColumn({ type: 'varchar', length: 36 }),
  isoTime,
  createdAt: (): PropertyDecorator => isoTime({ name: 'created_at' }),
  updatedAt: (): PropertyDecorator => isoTime({ name: 'updated_at' }),
  /**
   * The registered cluster a row belongs to (`cluster_id`). Released migrations made it 36
   * characters (a UUID) in some tables and 64 in others; each table keeps the width it was made with.
   */
  clusterId: (width: 36 | 64, extras: ColumnExtras = {}): PropertyDecorator =>
    varchar(width, { ...extras, name: 'cluster_id' }),
  /** `cluster_id` as the primary key: tables of one row per cluster. */
  clusterIdPrimary: (): PropertyDecorator =>
    PrimaryColumn({ name: 'cluster_id', type: 'varchar', length: 36 }),
};
