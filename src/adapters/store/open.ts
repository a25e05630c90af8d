import type { SqlStore } from './sql-store.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';

export type OpenStoreOptions = SqliteStoreOptions;

/**
 * Opens the store the configuration names. Only SQLite today; PostgreSQL (a `url` option)
 * is dispatched from here when it arrives, so callers keep this one entry point.
 */
export function openStore(options: OpenStoreOptions): Promise<SqlStore> {
  return openSqliteStore(options);
}
