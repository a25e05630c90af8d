import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock.js';
import type { IntakeResult } from '../../ports/store.js';
import { openStore } from './open.js';
import { POSTGRES_TRAITS } from './dialect.js';
import { openPostgresStore } from './postgres.js';
import { lockServer } from './registry.js';
import type { SqlStore } from './sql-store.js';
import { describeStoreSuite } from './suite/index.js';
import { addCompany, cause, createInvoice, newInvoice } from './suite/harness.js';
import { migrationNames } from './migrations/index.js';
import { dropTestSchemas, newTestSchema, sweepStaleTestSchemas } from './testing/pg-schemas.js';

/**
 * The shared Store suite and PostgreSQL's own guarantees, against a real server named by
 * EFACT_TEST_PG_URL (`.ci/run` sets it when the machine has PostgreSQL). Every test gets a
 * schema of its own (`efact_test_t<seconds>_<random>`, see testing/pg-schemas.ts), dropped
 * after it; stamped schemas over an hour old (from killed runs) are swept at the start.
 */
const url = process.env.EFACT_TEST_PG_URL;
if (!url) {
  console.warn('PostgreSQL store tests skipped: EFACT_TEST_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)');
}

const newSchema = newTestSchema;
const dropSchemas = (names: readonly string[]) => dropTestSchemas(url!, names);

describe.skipIf(!url)('PostgreSQL store', () => {
  const pgUrl = url!;
  beforeAll(async () => {
    await sweepStaleTestSchemas(pgUrl);
  });

  describeStoreSuite(
    'PostgreSQL',
    async ({ clock }) => {
      const schema = newSchema();
      const open = () => openPostgresStore({ url: pgUrl, schema, clock, poolSize: 4 });
      return { store: await open(), reopen: open, cleanup: () => dropSchemas([schema]) };
    },
    { reopenable: true, concurrent: true },
  );

  describe('PostgreSQL specifics', () => {
    // Every store a test opens, as the promise of it: a test that times out leaves its opens
    // running, and they must be closed before their schema is dropped, not fail the next tests.
    const opening: Array<Promise<SqlStore>> = [];
    const schemas: string[] = [];
    function track<S extends SqlStore>(open: Promise<S>): Promise<S> {
      opening.push(open);
      return open;
    }
    afterEach(async () => {
      for (const r of await Promise.allSettled(opening.splice(0))) if (r.status === 'fulfilled') await r.value.close();
      await dropSchemas(schemas.splice(0));
    });
    afterAll(async () => {
      await dropSchemas(schemas.splice(0));
    });
    async function openOn(schema: string, options: { poolSize?: number } = {}): Promise<SqlStore> {
      return track(openPostgresStore({ url: pgUrl, schema, clock: new ManualClock(Date.UTC(2026, 0, 15, 9)), ...options }));
    }
    async function freshStore(): Promise<{ store: SqlStore; schema: string }> {
      const schema = newSchema();
      schemas.push(schema);
      return { store: await openOn(schema), schema };
    }

    it('migrates once when three instances start together on a fresh schema', async () => {
      const schema = newSchema();
      schemas.push(schema);
      const opened = await Promise.all([0, 1, 2].map(() => track(openPostgresStore({ url: pgUrl, schema, poolSize: 2 }))));
      const db = opened[0]!.db;
      const migrations = await sql<{ name: string }>`select name from ${sql.table(`${schema}.efact_migrations`)} order by name`.execute(db);
      expect(migrations.rows.map((r) => r.name)).toEqual(migrationNames('postgres'));
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = ${schema} order by table_name`.execute(db);
      expect(tables.rows.map((r) => r.table_name)).toEqual([
        'api_keys',
        'companies',
        'company_leases',
        'efact_migrations',
        'efact_migrations_lock',
        'engine_state',
        'erp_files',
        'erp_writeback',
        'governor_daily',
        'governor_minute',
        'governor_pause',
        'idempotency_keys',
        'incoming_messages',
        'invoice_events',
        'invoice_xml',
        'invoices',
        'oauth_logins',
        'oauth_profiles',
        'platform_calls',
        'secrets',
        'servers',
        'sign_in_failures',
        'upload_attempts',
        'vault_keys',
      ]);
      // Every instance works on the result, and migrating again is a no-op.
      await Promise.all(opened.map((s) => s.migrate()));
      const company = await addCompany(opened[1]!);
      expect(await opened[2]!.getCompany(company.id)).toEqual(company);
    });

    it('migrates while other schemas of the database are created and dropped', async () => {
      // Other test files and checkouts share the database; their cleanups once failed our
      // migrations with `schema "<theirs>" does not exist` (Kysely's database-wide introspection).
      const churn = new pg.Client({ connectionString: pgUrl });
      await churn.connect();
      let stop = false;
      let rounds = 0;
      const churning = (async () => {
        while (!stop) {
          const other = newSchema();
          const tables = Array.from({ length: 10 }, (_, i) => `create table "${other}".t${i} (id int primary key, a text);`).join(' ');
          // Two round trips: one query would be one transaction, and the schema never seen.
          await churn.query(`create schema "${other}"; ${tables}`);
          await churn.query(`drop schema "${other}" cascade`);
          rounds += 1;
        }
      })();
      try {
        for (let i = 0; i < 6; i++) await freshStore();
      } finally {
        stop = true;
        await churning;
        await churn.end();
      }
      expect(rounds).toBeGreaterThan(0);
    });

    it('is opened by openStore from a postgres:// or postgresql:// url', async () => {
      const schema = newSchema();
      schemas.push(schema);
      const a = await track(openStore({ url: pgUrl, schema }));
      const b = await track(openStore({ url: pgUrl.replace(/^postgres:/, 'postgresql:'), schema }));
      const company = await addCompany(a);
      expect(await b.getCompany(company.id)).toEqual(company);
      const path = await sql<{ search_path: string }>`show search_path`.execute(a.db);
      expect(path.rows[0]?.search_path).toBe(schema);
    });

    /** Bounded wait (not a speed assertion): polls until the condition holds. */
    async function eventually(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    it('wakes a listener on another handle when an invoice is accepted or a company resumed (LISTEN/NOTIFY)', async () => {
      const { store: a, schema } = await freshStore();
      const b = await openOn(schema);
      const elsewhere = (await freshStore()).store;
      const company = await addCompany(a);
      const heard: Array<number | null> = [];
      const heardElsewhere: Array<number | null> = [];
      const stop = await b.listenWakes((id) => heard.push(id));
      await elsewhere.listenWakes((id) => heardElsewhere.push(id));

      await createInvoice(a, company.id);
      await eventually('the intake wake-up', () => heard.includes(company.id));
      heard.length = 0;
      await a.setSendingEnabled(company.id, false);
      await a.setSendingEnabled(company.id, true);
      await eventually('the resume wake-up', () => heard.length > 0);
      expect(heard).toEqual([company.id]);
      await a.notifyWake(company.id);
      await eventually('an explicit wake-up', () => heard.length === 2);
      // Another efact schema in the same database hears nothing of this one.
      expect(heardElsewhere).toEqual([]);
      await stop();
      await createInvoice(a, company.id);
      await new Promise((r) => setTimeout(r, 100));
      expect(heard).toHaveLength(2);
    });

    it('re-opens a dropped LISTEN connection and then wakes everything once', async () => {
      const { store: a, schema } = await freshStore();
      const b = await openOn(schema);
      const company = await addCompany(a);
      const heard: Array<number | null> = [];
      await b.listenWakes((id) => heard.push(id));
      const killed = await sql<{ ok: boolean }>`
        select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = ${`efact-wake:${schema}`}`.execute(a.db);
      expect(killed.rows).toHaveLength(1);
      await eventually('the reconnection', () => heard.includes(null));
      await createInvoice(a, company.id);
      await eventually('a wake-up after reconnecting', () => heard.includes(company.id));
    });

    it('gives up waiting for the migration lock after the configured time, naming the lock', async () => {
      const schema = newSchema();
      schemas.push(schema);
      const holder = new pg.Client({ connectionString: pgUrl });
      await holder.connect();
      try {
        await holder.query(`select pg_advisory_lock(hashtextextended('efact.migrations.' || $1::text, 0))`, [schema]);
        const failed = await openPostgresStore({ url: pgUrl, schema, migrationLockTimeoutMs: 200 }).catch((e: unknown) => e);
        expect(failed).toMatchObject({
          code: 'LOCK_TIMEOUT',
          message: expect.stringContaining(`waited 0.2 s for the migration lock of schema "${schema}" (PostgreSQL advisory lock 'efact.migrations.${schema}')`),
        });
        await holder.query(`select pg_advisory_unlock(hashtextextended('efact.migrations.' || $1::text, 0))`, [schema]);
        await track(openPostgresStore({ url: pgUrl, schema, migrationLockTimeoutMs: 200, poolSize: 3 }));
      } finally {
        await holder.end();
      }
    });

    it('refuses a schema name that is not a plain identifier', async () => {
      await expect(openPostgresStore({ url: pgUrl, schema: 'x; drop table y' })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    });

    it('maps int8 (strings from node-postgres) to numbers and keeps XML bytes exact in bytea', async () => {
      const { store } = await freshStore();
      const company = await addCompany(store);
      const spec = newInvoice(company.id);
      // Not UTF-8: every byte value, so nothing on the way may decode the bytes as text.
      const xml = new Uint8Array(256).map((_, i) => i);
      const result = await store.intake({ ...spec, xml, contentHash: 'all-bytes' }, cause('intake'));
      if (result.kind !== 'created') throw new Error(result.kind);
      const raw = await sql<{ id: unknown; created_at: unknown }>`select id, created_at from invoices`.execute(store.db);
      expect(typeof raw.rows[0]?.id).toBe('string');
      expect(typeof result.invoice.id).toBe('number');
      expect(result.invoice.createdAt).toEqual(new Date(Date.UTC(2026, 0, 15, 9)));
      expect(await store.getInvoiceXml(result.invoice.id)).toEqual(xml);
      const type = await sql<{ data_type: string }>`
        select data_type from information_schema.columns where table_schema = current_schema()
          and table_name = 'invoice_xml' and column_name = 'xml'`.execute(store.db);
      expect(type.rows[0]?.data_type).toBe('bytea');
    });

    it('chunks multi-row inserts below the parameter limit', async () => {
      const { store } = await freshStore();
      const at = new Date(Date.UTC(2026, 0, 15, 9));
      // 11 columns a row: 3000 rows are 33 000 parameters, over the budget, so several inserts.
      await store.recordCalls(
        Array.from({ length: 3000 }, (_, i) => ({
          at,
          instance: 'i1',
          platform: 'anaf' as const,
          environment: 'test' as const,
          endpoint: 'upload',
          companyCif: '1234567',
          invoiceId: i,
          httpStatus: 200,
          durationMs: 1,
          outcome: 'ok' as const,
          message: null,
        })),
      );
      expect(await store.countCalls({ companyCif: '1234567' })).toBe(3000);
    });

    it('fences writes with a shared lock: they do not wait for each other; a takeover or a stop waits for those in flight', async () => {
      const { store, schema } = await freshStore();
      const reg = { serverId: 2, seats: 3, host: 'host-a', pid: 1, filter: null, leaseMs: 30_000 };
      await store.registerServer(reg);
      const company = await addCompany(store);
      for (let i = 0; i < 3; i++) await createInvoice(store, company.id);
      /** A write of server 2 in flight, between its fence check and its commit, until `commit()`. */
      async function writeInFlight(db: typeof store.db): Promise<{ commit: () => Promise<void> }> {
        let locked!: () => void;
        let open!: () => void;
        const held = new Promise<void>((r) => (locked = r));
        const gate = new Promise<void>((r) => (open = r));
        const tx = db.transaction().execute(async (trx) => {
          await lockServer(trx, POSTGRES_TRAITS, 2, 'shared');
          locked();
          await gate;
        });
        await held;
        return { commit: () => (open(), tx) };
      }
      const first = await writeInFlight(store.db);
      // The same instance's other writes pass meanwhile.
      expect(await store.claimForUpload(company.id, 'test', 1, new Date(), cause('claim'))).toHaveLength(1);
      // A takeover waits for the write in flight to commit.
      const b = await openOn(schema);
      let taken = false;
      const takeover = b.registerServer({ ...reg, host: 'host-b', takeover: true }).then(() => (taken = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(taken).toBe(false);
      await first.commit();
      await takeover;
      await expect(store.claimForUpload(company.id, 'test', 1, new Date(), cause('claim'))).rejects.toMatchObject({ code: 'FENCED' });
      // So does the new owner's clean stop.
      const second = await writeInFlight(b.db);
      let stopped = false;
      const stop = b.deregisterServer().then(() => (stopped = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(stopped).toBe(false);
      await second.commit();
      await stop;
      expect((await b.listServers())[0]!.stoppedAt).not.toBeNull();
    });

    it('never hands the same invoice to two instances claiming at once (SKIP LOCKED)', async () => {
      const { store: a, schema } = await freshStore();
      const b = await openOn(schema);
      const company = await addCompany(a);
      for (let i = 0; i < 200; i++) await createInvoice(i % 2 === 0 ? a : b, company.id);
      const now = new Date(Date.UTC(2030, 0, 1));
      const seen: number[] = [];
      const attempts: number[] = [];
      const claimLoop = async (store: SqlStore, instance: string) => {
        for (;;) {
          const batch = await store.claimForUpload(company.id, 'test', 7, now, { instance, cause: 'claim' });
          if (batch.length === 0) {
            // Empty can mean "all the rest are locked by the other right now": stop only when none is queued.
            const left = await store.listInvoices({ companyId: company.id, status: 'queued', limit: 1 });
            if (left.length === 0) return;
            continue;
          }
          for (const c of batch) {
            seen.push(c.invoice.id);
            attempts.push(c.attempt.id);
          }
        }
      };
      await Promise.all([claimLoop(a, 'a'), claimLoop(b, 'b'), claimLoop(a, 'a2'), claimLoop(b, 'b2')]);
      expect(seen).toHaveLength(200);
      expect(new Set(seen).size).toBe(200);
      expect(new Set(attempts).size).toBe(200);
      expect(await a.listOpenAttempts()).toHaveLength(200);
      const counts = await a.countByStatus(company.id);
      expect(counts).toEqual([{ companyId: company.id, environment: 'test', status: 'uploading', count: 200 }]);
    });

    it('lets only one of two concurrent intakes of the same invoice id stay live', async () => {
      const { store: a, schema } = await freshStore();
      const b = await openOn(schema);
      const company = await addCompany(a);
      const outcomes: string[] = [];
      for (let round = 0; round < 25; round++) {
        const invoiceId = `RACE${round}`;
        const results: IntakeResult[] = await Promise.all([
          a.intake(newInvoice(company.id, { invoiceId }), cause('intake-a')),
          b.intake(newInvoice(company.id, { invoiceId }), cause('intake-b')),
        ]);
        const kinds = results.map((r) => r.kind).sort();
        outcomes.push(kinds.join('+'));
        // The second saw the first (queued, so replaceable): one created, one superseding it.
        expect(kinds).toEqual(['created', 'superseded']);
        const superseding = results.find((r) => r.kind === 'superseded');
        const created = results.find((r) => r.kind === 'created');
        if (superseding?.kind !== 'superseded' || created?.kind !== 'created') throw new Error('unreachable');
        expect(superseding.replaced.id).toBe(created.invoice.id);
        expect(superseding.invoice.supersedesId).toBe(created.invoice.id);
        const live = await sql<{ n: string }>`
          select count(*) as n from invoices where document_id = ${invoiceId} and status <> 'superseded'`.execute(a.db);
        expect(Number(live.rows[0]?.n)).toBe(1);
      }
      expect(new Set(outcomes)).toEqual(new Set(['created+superseded']));
    });

    it('answers a concurrent intake of the same invoice id with conflict once the first is being sent', async () => {
      const { store: a, schema } = await freshStore();
      const b = await openOn(schema);
      const company = await addCompany(a);
      const first = await createInvoice(a, company.id, { invoiceId: 'SENT1' });
      const now = new Date(Date.UTC(2030, 0, 1));
      // A claim and two intakes of corrected files race: whatever the order, at most one is live.
      const [claimed, r1, r2] = await Promise.all([
        a.claimForUpload(company.id, 'test', 10, now, cause('claim')),
        a.intake(newInvoice(company.id, { invoiceId: 'SENT1' }), cause('intake-a')),
        b.intake(newInvoice(company.id, { invoiceId: 'SENT1' }), cause('intake-b')),
      ]);
      const live = await sql<{ n: string }>`
        select count(*) as n from invoices where document_id = 'SENT1' and status <> 'superseded'`.execute(a.db);
      expect(Number(live.rows[0]?.n)).toBe(1);
      const kinds = [r1.kind, r2.kind];
      if (claimed.some((c) => c.invoice.id === first.id)) {
        // The first was taken for upload before any intake replaced it: both corrections conflict.
        expect(kinds).toEqual(['conflict', 'conflict']);
      } else {
        expect(kinds.filter((k) => k === 'superseded').length).toBeGreaterThanOrEqual(1);
      }
    });
  });
});
