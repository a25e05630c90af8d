import { EfactError } from '../../domain/errors.js';
import { isPostgresUrl, openPostgresStore, type PostgresStoreOptions } from './postgres.js';
import type { SqlStore } from './sql-store.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';

/**
 * What `openStore` takes: a SQLite file (`path`, as before), or a `url` naming either kind of
 * database: `postgres://…` / `postgresql://…` (with the PostgreSQL options), or `sqlite:PATH`
 * (with the SQLite options).
 */
export type OpenStoreOptions =
  | (SqliteStoreOptions & { url?: undefined })
  | (Omit<SqliteStoreOptions, 'path'> & { url: string; path?: undefined })
  | (PostgresStoreOptions & { path?: undefined });

/** The one entry point callers use; it dispatches on the kind of database the options name. */
export function openStore(options: OpenStoreOptions): Promise<SqlStore> {
  if (options.url === undefined) return openSqliteStore(options);
  const { url } = options;
  if (isPostgresUrl(url)) return openPostgresStore(options as PostgresStoreOptions);
  if (url.startsWith('sqlite:')) {
    const { url: _url, ...rest } = options as Omit<SqliteStoreOptions, 'path'> & { url: string };
    return openSqliteStore({ ...rest, path: url.slice('sqlite:'.length) });
  }
  return Promise.reject(new EfactError('INVALID_CONFIG', `store url must be sqlite:PATH or postgres://…, got ${url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')}`));
}
