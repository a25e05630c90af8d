import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDatabase,
  type SqliteStatement,
} from 'kysely';

/**
 * better-sqlite3 behind Kysely, with three changes to Kysely's stock SQLite dialect:
 *
 * 1. Prepared statements are cached by SQL text. Kysely prepares every query it runs; the
 *    store's hot queries have a handful of shapes, so re-preparing them is pure waste.
 * 2. Transactions begin with BEGIN IMMEDIATE. A plain (deferred) BEGIN takes the write lock
 *    only at the first write; when two processes (the CLI and the server) both read and then
 *    write, one fails at once with SQLITE_BUSY, whatever busy_timeout says. IMMEDIATE takes
 *    the lock up front, so the second waits its turn instead.
 * 3. Migrations run in a transaction. SQLite handles DDL in transactions well, and with (2)
 *    that also serialises two processes migrating the same file at the same time.
 */
export class StatementCache implements SqliteDatabase {
  readonly #db: BetterSqlite3.Database;
  readonly #capacity: number;
  // A Map iterates in insertion order, which makes it a cheap LRU: re-insert on use, evict first.
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(db: BetterSqlite3.Database, capacity: number) {
    this.#db = db;
    this.#capacity = capacity;
  }

  get inTransaction(): boolean {
    return this.#db.inTransaction;
  }

  prepare(sql: string): SqliteStatement {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) {
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      // A statement still being iterated (a streamed select) cannot run twice at once.
      return (cached.busy ? this.#db.prepare(sql) : cached) as unknown as SqliteStatement;
    }
    const statement = this.#db.prepare(sql);
    this.#statements.set(sql, statement);
    if (this.#statements.size > this.#capacity) {
      const oldest = this.#statements.keys().next().value;
      if (oldest !== undefined) this.#statements.delete(oldest);
    }
    return statement as unknown as SqliteStatement;
  }

  close(): void {
    this.#statements.clear();
    try {
      // Refreshes the planner's statistics where they went stale, as SQLite advises at close;
      // the analysis limit keeps it to milliseconds even on a table of millions of rows.
      this.#db.pragma('analysis_limit = 1000');
      this.#db.pragma('optimize');
    } catch {
      // Statistics only: never let them keep a store from closing.
    }
    this.#db.close();
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  readonly #database: StatementCache;

  constructor(database: StatementCache) {
    super({ database });
    this.#database = database;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // Some errors (disk full, I/O) make SQLite roll back by itself; a second ROLLBACK would
    // then throw "no transaction is active" and hide the error that matters.
    if (this.#database.inTransaction) await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class EfactSqliteDialect extends SqliteDialect {
  readonly #database: StatementCache;

  constructor(database: StatementCache) {
    super({ database });
    this.#database = database;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#database);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
