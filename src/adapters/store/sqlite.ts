import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { Clock } from '../../ports/clock.js';
import { SQLITE_TRAITS } from './dialect.js';
import type { StoreSchema } from './schema.js';
import { SqlStore } from './sql-store.js';
import { EfactSqliteDialect, StatementCache } from './sqlite-driver.js';

export interface SqliteStoreOptions {
  /** Database file (its folder is created), or ':memory:' for a private in-memory store (tests). */
  path: string;
  /**
   * 'full' (default): every commit is on disk before it returns, so "accepted" survives a power
   * cut (ARCHITECTURE rule 2). 'normal': in WAL mode the last commits may be lost on power loss
   * (never corrupted); for benchmarks only.
   */
  synchronous?: 'full' | 'normal' | 'FULL' | 'NORMAL';
  /** How long a write waits for another process (the CLI beside the server) to commit. */
  busyTimeoutMs?: number;
  /** Time written on rows and events; the system clock by default. */
  clock?: Pick<Clock, 'now'>;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /** Prepared statements kept for reuse (default 256). */
  statementCacheSize?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 10_000;
const DEFAULT_STATEMENT_CACHE = 256;

/**
 * Opens (creating if needed) a SQLite store and brings its schema up to date.
 *
 * Open ONE store per database file per process and share it. Two processes are fine (each
 * write waits for the other up to `busyTimeoutMs`), but two handles in the same thread are
 * not: one holds the write lock across an `await` while the other waits synchronously for it
 * (better-sqlite3 is synchronous), so neither moves until the busy timeout fails the second.
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqlStore> {
  const memory = options.path === ':memory:' || options.path === '';
  if (!memory) mkdirSync(dirname(options.path), { recursive: true });
  const raw = new Database(options.path);
  try {
    // busy_timeout first: switching to WAL itself needs the lock another process may hold.
    raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
    // WAL: readers never block the writer, and a commit is one append (plus fsync when FULL).
    raw.pragma('journal_mode = WAL');
    raw.pragma(`synchronous = ${options.synchronous?.toUpperCase() === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    raw.pragma('foreign_keys = ON');
  } catch (e) {
    raw.close();
    throw e;
  }
  const database = new StatementCache(raw, options.statementCacheSize ?? DEFAULT_STATEMENT_CACHE);
  const db = new Kysely<StoreSchema>({ dialect: new EfactSqliteDialect(database) });
  const clock = options.clock;
  const store = new SqlStore(db, SQLITE_TRAITS, clock === undefined ? () => new Date() : () => clock.now());
  if (options.migrate ?? true) {
    try {
      await store.migrate();
    } catch (e) {
      await store.close();
      throw e;
    }
  }
  return store;
}
