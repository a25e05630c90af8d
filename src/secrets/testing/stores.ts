/** Test stores for the vault and OAuth tests: SQLite in a temp folder, or PostgreSQL when EFACT_TEST_PG_URL is set. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPostgresStore } from '../../adapters/store/postgres.js';
import { openSqliteStore } from '../../adapters/store/sqlite.js';
import type { SqlStore } from '../../adapters/store/sql-store.js';
import type { Clock } from '../../ports/clock.js';
import { newTestSchema } from '../../adapters/store/testing/pg-schemas.js';

export interface StoreKind {
  name: 'sqlite' | 'postgres';
  /** A fresh database: `open()` gives a new handle on it (another instance); `cleanup` drops it. */
  create(clock?: Pick<Clock, 'now'>): Promise<{ dir: string; open: () => Promise<SqlStore>; cleanup: () => Promise<void> }>;
}

export const sqliteKind: StoreKind = {
  name: 'sqlite',
  async create(clock) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'efact-vault-'));
    const file = path.join(dir, 'efact.db');
    return {
      dir,
      open: () => openSqliteStore({ path: file, synchronous: 'NORMAL', ...(clock ? { clock } : {}) }),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

export const PG_URL = process.env.EFACT_TEST_PG_URL;

export const postgresKind: StoreKind = {
  name: 'postgres',
  async create(clock) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'efact-vault-'));
    const schema = newTestSchema();
    return {
      dir,
      open: () => openPostgresStore({ url: PG_URL!, schema, poolSize: 4, ...(clock ? { clock } : {}) }),
      cleanup: async () => {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

/** SQLite always; PostgreSQL when EFACT_TEST_PG_URL is set (a warning says why not otherwise). */
export function storeKinds(): StoreKind[] {
  if (!PG_URL) {
    console.warn('PostgreSQL vault/OAuth tests skipped: EFACT_TEST_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)');
    return [sqliteKind];
  }
  return [sqliteKind, postgresKind];
}
