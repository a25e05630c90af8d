import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { EfactError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import { POSTGRES_TRAITS } from './dialect.js';
import { migrateToLatest } from './migrations/index.js';
import { migrationDb } from './pg-migration-db.js';
import type { StoreSchema } from './schema.js';
import { SqlStore } from './sql-store.js';
import { PgWakeListener } from './wake-listener.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (or `postgresql://`). */
  url: string;
  /**
   * The schema the store lives in (created by the first migration if missing); every connection
   * of the pool gets it as its `search_path`. Default: the server's default (usually `public`).
   */
  schema?: string;
  /** Time written on rows and events; the system clock by default. */
  clock?: Pick<Clock, 'now'>;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /**
   * Longest wait for the migration lock while another instance migrates the same schema
   * (default 120 000 ms); past it, opening fails with LOCK_TIMEOUT naming the lock.
   */
  migrationLockTimeoutMs?: number;
}

const DEFAULT_MIGRATION_LOCK_TIMEOUT_MS = 120_000;

const DEFAULT_POOL_SIZE = 10;
/** A plain identifier, so it can go into `search_path` and `create schema` without quoting games. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Connection settings shared by the pool and the migration-lock connection. */
function clientConfig(options: PostgresStoreOptions): pg.ClientConfig {
  if (!isPostgresUrl(options.url)) {
    throw new EfactError('INVALID_CONFIG', `not a PostgreSQL URL: ${redact(options.url)}`);
  }
  const config: pg.ClientConfig = { connectionString: options.url };
  if (options.schema !== undefined) {
    if (!SCHEMA_NAME.test(options.schema)) {
      throw new EfactError('INVALID_CONFIG', `store schema must be a plain identifier (letters, digits, _), got ${JSON.stringify(options.schema)}`);
    }
    // A startup parameter: set once per connection by the server, no extra round trip per query.
    config.options = `-c search_path=${options.schema}`;
  }
  return config;
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * Runs the migrations of one schema while holding a session-level advisory lock keyed by that
 * schema, on a connection of its own (outside the pool, so it works with any pool size). Several
 * instances starting together queue here: the first creates the schema and applies what is
 * pending, the others then find nothing to do. Holding it across the whole call makes the
 * outcome plain, so Kysely's own database-wide lock is left out, and its introspection is kept
 * to this schema (see pg-migration-db.ts: other schemas dropped meanwhile failed migrations).
 * A crashed holder's lock goes with its connection.
 */
async function migrateUnderLock(pool: pg.Pool, options: PostgresStoreOptions): Promise<void> {
  // Named, so that whoever waits can find the holder in pg_stat_activity.
  const client = new pg.Client({ ...clientConfig(options), application_name: `efact-migrate:${options.schema ?? 'default'}` });
  await client.connect();
  try {
    const found = await client.query<{ schema: string | null }>('select current_schema() as schema');
    const schema = options.schema ?? found.rows[0]?.schema ?? null;
    if (schema === null) {
      throw new EfactError('INVALID_CONFIG', 'the PostgreSQL search_path names no existing schema; set store schema or create one');
    }
    const waitMs = Math.max(1, Math.floor(options.migrationLockTimeoutMs ?? DEFAULT_MIGRATION_LOCK_TIMEOUT_MS));
    // lock_timeout bounds waits for heavyweight locks, advisory ones included; only this session's.
    await client.query(`set lock_timeout = ${waitMs}`);
    try {
      await client.query(`select pg_advisory_lock(hashtextextended('efact.migrations.' || $1::text, 0))`, [schema]);
    } catch (e) {
      if ((e as { code?: string }).code === '55P03') {
        throw new EfactError(
          'LOCK_TIMEOUT',
          `waited ${waitMs / 1000} s for the migration lock of schema "${schema}" (PostgreSQL advisory lock 'efact.migrations.${schema}'): ` +
            `another instance is migrating it or stuck (look for application_name 'efact-migrate:…' in pg_stat_activity); ` +
            'try again, or raise store.migrationLockTimeoutSeconds',
          { details: { schema, lock: `efact.migrations.${schema}`, waitedMs: waitMs }, cause: e },
        );
      }
      throw e;
    }
    try {
      await client.query(`create schema if not exists "${schema}"`);
      await migrateToLatest(migrationDb(pool, schema), 'postgres', schema);
    } finally {
      await client.query(`select pg_advisory_unlock(hashtextextended('efact.migrations.' || $1::text, 0))`, [schema]);
    }
  } finally {
    await client.end();
  }
}

/**
 * Opens a PostgreSQL store (a pool of `poolSize` connections) and brings its schema up to date.
 * Unlike SQLite, any number of stores, in any number of processes and machines, may share one
 * database: claims lock rows (`FOR UPDATE SKIP LOCKED`), intake serialises per company with an
 * advisory lock, and migrations serialise on another (see migrateUnderLock).
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<SqlStore> {
  const pool = new pg.Pool({ ...clientConfig(options), max: Math.max(1, Math.floor(options.poolSize ?? DEFAULT_POOL_SIZE)) });
  // An idle connection dropped by the server (restart, failover) must not crash the process:
  // the pool discards it and the next query opens a new one; a query in flight fails on its own.
  pool.on('error', () => undefined);
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
  const clock = options.clock;
  const store = new SqlStore(db, POSTGRES_TRAITS, clock === undefined ? () => new Date() : () => clock.now(), {
    migrate: () => migrateUnderLock(pool, options),
    listen: async (listener) => {
      const wake = new PgWakeListener({
        client: () => ({ ...clientConfig(options), application_name: `efact-wake:${options.schema ?? 'default'}` }),
        listener,
      });
      await wake.start();
      return () => wake.stop();
    },
  });
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
