import type { DataSource, EntityManager } from 'typeorm';

/**
 * better-sqlite3 is ONE connection: TypeORM runs every transaction on it, so two requests that
 * each open one at the same moment (two cluster registrations, a registration during a
 * notification scan) had the second refused with "cannot start a transaction within a
 * transaction" — a 500. On SQLite the data source's transactions therefore run one after
 * another, in the order they were asked for. PostgreSQL has a pool and is left alone.
 *
 * A transaction's callback must use the manager it is given (every caller does): asking the
 * data source for another transaction inside one would wait for itself.
 */
export function serializeTransactionsOnSqlite(dataSource: DataSource): DataSource {
  if (dataSource.options.type !== 'better-sqlite3') return dataSource;
  const manager: EntityManager = dataSource.manager;
  const original = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  manager.transaction = ((...args: unknown[]) => {
    const run = tail.then(() => original(...args));
    tail = run.catch(() => undefined);
    return run;
  }) as EntityManager['transaction'];
  return dataSource;
}
