import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock.js';
import { openSqliteStore } from './sqlite.js';
import type { SqlStore } from './sql-store.js';
import { describeStoreSuite } from './suite/index.js';
import { migrationNames } from './migrations/index.js';

describeStoreSuite('SQLite in memory', async ({ clock }) => ({
  store: await openSqliteStore({ path: ':memory:', clock }),
}));

describeStoreSuite('SQLite file', async ({ clock }) => {
  const dir = await mkdtemp(join(tmpdir(), 'efact-store-'));
  const path = join(dir, 'data', 'efact.db');
  return {
    store: await openSqliteStore({ path, clock }),
    reopen: () => openSqliteStore({ path, clock }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}, { reopenable: true });

/**
 * Another process (plain node + better-sqlite3) that takes the write lock, runs `statement`,
 * holds the lock a moment and commits. `locked` resolves once it holds the lock.
 */
function holdWriteLock(path: string, statement: string): { locked: Promise<void>; done: Promise<void> } {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('busy_timeout = 10000');
    db.exec('begin immediate');
    db.exec(process.argv[2]);
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    db.exec('commit');
    db.close();
  `;
  const child = spawn(process.execPath, ['-e', script, path, statement], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.on('exit', () => reject(new Error('the other process ended before locking')));
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the other process failed: ${code}`))));
  });
  locked.catch(() => undefined);
  return { locked, done };
}

describe('SQLite specifics', () => {
  const open: SqlStore[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  async function fileStore(options: { synchronous?: 'full' | 'normal' } = {}): Promise<{ store: SqlStore; path: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'efact-store-'));
    dirs.push(dir);
    const path = join(dir, 'efact.db');
    const store = await openSqliteStore({ path, ...options });
    open.push(store);
    return { store, path };
  }
  async function pragma(store: SqlStore, name: string): Promise<unknown> {
    const result = await sql<Record<string, unknown>>`select * from ${sql.raw(`pragma_${name}`)}`.execute(store.db);
    return Object.values(result.rows[0] ?? {})[0];
  }

  it('is durable by default: WAL, synchronous FULL, foreign keys, a busy timeout', async () => {
    const { store } = await fileStore();
    expect(await pragma(store, 'journal_mode')).toBe('wal');
    expect(await pragma(store, 'synchronous')).toBe(2);
    expect(await pragma(store, 'foreign_keys')).toBe(1);
    expect(await pragma(store, 'busy_timeout')).toBe(10_000);
  });

  it('lets a benchmark trade durability for speed', async () => {
    const { store } = await fileStore({ synchronous: 'normal' });
    expect(await pragma(store, 'synchronous')).toBe(1);
  });

  it('records each migration once, however often and from however many connections it runs', async () => {
    const { store, path } = await fileStore();
    for (let i = 0; i < 3; i++) open.push(await openSqliteStore({ path }));
    await store.migrate();
    const rows = await sql<{ name: string }>`select name from efact_migrations order by name`.execute(store.db);
    expect(rows.rows.map((r) => r.name)).toEqual(migrationNames('sqlite'));
  });

  it('waits for another process that holds the write lock instead of failing', async () => {
    const { store, path } = await fileStore();
    const company = await store.upsertCompany({ cif: '1234567', shortName: 'A', name: 'A SRL', environment: 'test' });
    // A second process writes inside a long transaction; ours must queue behind it.
    const other = holdWriteLock(path, `insert into engine_state (key, value, updated_at) values ('other', 'yes', 0)`);
    await other.locked;
    await store.setState('mine', 'yes');
    const reopened = await openSqliteStore({ path });
    open.push(reopened);
    await other.done;
    expect(await store.getState('other')).toBe('yes');
    expect(await store.getState('mine')).toBe('yes');
    expect((await store.getCompany(company.id))?.cif).toBe('1234567');
  });

  it('refuses rows that point nowhere (foreign keys on)', async () => {
    const store = await openSqliteStore({ path: ':memory:', clock: new ManualClock() });
    open.push(store);
    await expect(
      store.db.insertInto('invoice_events').values({ invoice_id: 42, at: 0, instance: 'x', from_status: null, to_status: 'queued', cause: 'x', details: null }).execute(),
    ).rejects.toThrow(/FOREIGN KEY/);
  });

  it('answers the hot queries from indexes, never by scanning the invoices table', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    open.push(store);
    const plans: Record<string, string> = {};
    const explain = async (name: string, query: { compile(): { sql: string; parameters: readonly unknown[] } }) => {
      const { sql: text, parameters } = query.compile();
      const rows = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${text}`, [...parameters]));
      plans[name] = rows.rows.map((r) => r.detail).join(' | ');
    };
    const db = store.db;
    await explain('claim', db.selectFrom('invoices').select('id').where('company_id', '=', 1).where('environment', '=', 'test').where('status', '=', 'queued').where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', 5)])).orderBy('id').limit(10));
    await explain('page by company', db.selectFrom('invoices').selectAll().where('company_id', '=', 1).where('id', '>', 5).orderBy('id').limit(50));
    await explain('page by status', db.selectFrom('invoices').selectAll().where('company_id', '=', 1).where('status', '=', 'ok').where('id', '>', 5).orderBy('id').limit(50));
    await explain('upload ids', db.selectFrom('invoices').selectAll().where('company_id', '=', 1).where('environment', '=', 'test').where('upload_id', 'in', ['a', 'b']));
    await explain('hash', db.selectFrom('invoices').selectAll().where('company_id', '=', 1).where('content_hash', '=', 'h').where('status', '<>', 'superseded'));
    await explain('document', db.selectFrom('invoices').selectAll().where('company_id', '=', 1).where('environment', '=', 'test').where('document_id', '=', 'F1'));
    for (const [name, plan] of Object.entries(plans)) {
      expect(plan, name).not.toMatch(/SCAN invoices(?! USING)/);
      expect(plan, name).toMatch(/USING (INDEX|COVERING INDEX|INTEGER PRIMARY KEY)/);
    }
  });
});
