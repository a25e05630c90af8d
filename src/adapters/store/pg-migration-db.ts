import {
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  sql,
  type DatabaseIntrospector,
  type DialectAdapter,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely';
import type pg from 'pg';

/**
 * The Kysely handle that Kysely's Migrator runs on for one efact schema, over the store's pool.
 * It differs from the store's handle in two ways, both because many efact schemas may share a
 * database (tenants, test runs) and come and go while others migrate:
 *
 * - Its introspector sees only that schema. Kysely's own scans every schema of the database and
 *   calls `has_schema_privilege(nspname, …)`, which looks each schema up by name: a schema dropped
 *   by another session between the catalog scan and the lookup fails the whole migration with
 *   `schema "<someone else's>" does not exist` (seen in the server log from a parallel worker).
 *   The Migrator only asks "does this schema / table exist", so names are all it gets.
 * - Its migration lock is a no-op: the caller already holds an advisory lock keyed by the schema
 *   (postgres.ts). Kysely's lock is one fixed key for the whole database, so every migration of
 *   every schema queued behind every other one.
 */
export function migrationDb(pool: pg.Pool, schema: string): Kysely<any> {
  // Never destroyed: destroying would end the store's pool; this handle holds nothing else.
  return new Kysely<any>({ dialect: new SchemaScopedDialect(pool, schema) });
}

class SchemaScopedDialect extends PostgresDialect {
  readonly #schema: string;

  constructor(pool: pg.Pool, schema: string) {
    super({ pool });
    this.#schema = schema;
  }

  override createAdapter(): DialectAdapter {
    return new LockHeldByCallerAdapter();
  }

  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SchemaIntrospector(db, this.#schema);
  }
}

class LockHeldByCallerAdapter extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

/** Names of one schema and its tables, looked up by the schema's oid only (no by-name lookups). */
class SchemaIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<any>;
  readonly #schema: string;

  constructor(db: Kysely<any>, schema: string) {
    this.#db = db;
    this.#schema = schema;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const found = await sql<{ name: string }>`
      select nspname as name from pg_catalog.pg_namespace where nspname = ${this.#schema}`.execute(this.#db);
    return found.rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const found = await sql<{ name: string; kind: string }>`
      select c.relname as name, c.relkind as kind
        from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where n.nspname = ${this.#schema} and c.relkind in ('r', 'v', 'p')`.execute(this.#db);
    // Columns are not read by the Migrator; an empty list says "not introspected", not "none".
    return found.rows.map((r) => ({ name: r.name, schema: this.#schema, isView: r.kind === 'v', columns: [] }));
  }

  async getMetadata(): Promise<{ tables: TableMetadata[] }> {
    return { tables: await this.getTables() };
  }
}
