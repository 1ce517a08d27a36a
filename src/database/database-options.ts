import { accessSync, constants, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { StartupError } from '../common/startup-error';
import { MIGRATIONS } from './migrations';

/**
 * The entity classes, which live with the features that own them. The composition root
 * (src/app-data-source.ts) passes them in, so this adapter imports no feature.
 */
export type Entities = NonNullable<DataSourceOptions['entities']>;

/** `sqlite:///./x.db` → ./x.db, `sqlite:////abs/x.db` → /abs/x.db, `sqlite::memory:` → :memory:. */
export function sqlitePath(url: string): string {
  if (url === 'sqlite::memory:') return ':memory:';
  return url.slice('sqlite:///'.length);
}

/**
 * TypeORM options for DATABASE_URL. SQLite runs in WAL with synchronous=FULL because it holds
 * credentials: an acknowledged write must survive a power cut. Schema changes only by migrations.
 */
export function dataSourceOptions(url: string, entities: Entities): DataSourceOptions {
  const common = {
    entities,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    logging: false,
  } as const;
  if (url.startsWith('postgres')) return { ...common, type: 'postgres', url };
  const database = sqlitePath(url);
  if (database !== ':memory:') ensureWritableDirectory(dirname(resolve(database)));
  return {
    ...common,
    type: 'better-sqlite3',
    database,
    enableWAL: database !== ':memory:',
    timeout: 5000,
    prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
    },
  };
}

/**
 * SQLite writes the database, its WAL and its lock files beside each other, so the directory itself
 * must be writable. In the container that is the /data volume; a read-only one is an operator
 * mistake, reported as one line (exit 2) rather than SQLite's "unable to open database file".
 */
export function ensureWritableDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new StartupError(
      `the SQLite directory ${dir} is not writable (${code}): mount a writable volume there (the image writes only /data and /tmp) or set DATABASE_URL`,
    );
  }
}
