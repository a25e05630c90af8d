/** The SQL store: the Store port over Kysely, on SQLite or PostgreSQL. */
export { openStore, type OpenStoreOptions } from './open.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';
export { openPostgresStore, isPostgresUrl, type PostgresStoreOptions } from './postgres.js';
export { SqlStore } from './sql-store.js';
export { SQLITE_TRAITS, POSTGRES_TRAITS, type DialectTraits, type DialectName } from './dialect.js';
export type { StoreSchema } from './schema.js';
