/** The SQL store: the Store port over Kysely (SQLite now, PostgreSQL next). */
export { openStore, type OpenStoreOptions } from './open.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';
export { SqlStore } from './sql-store.js';
export { SQLITE_TRAITS, POSTGRES_TRAITS, type DialectTraits, type DialectName } from './dialect.js';
export type { StoreSchema } from './schema.js';
