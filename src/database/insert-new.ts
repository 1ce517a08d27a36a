import type { ObjectLiteral, QueryDeepPartialEntity, Repository } from 'typeorm';

/** Rows per INSERT statement: a batch stays well under SQLite's bound-variable limit. */
const CHUNK = 200;

/**
 * Inserts `rows` in batches and leaves out those whose primary key is already stored: the
 * recorders' rows carry their own keys, so a replica's overlap at a hand-over is one row.
 */
export async function insertNew<T extends ObjectLiteral>(
  repository: Repository<T>,
  rows: QueryDeepPartialEntity<T>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await repository
      .createQueryBuilder()
      .insert()
      .values(rows.slice(i, i + CHUNK))
      .orIgnore()
      .execute();
}
