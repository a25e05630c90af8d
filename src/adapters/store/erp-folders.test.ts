/**
 * The ERP-folder store (migration 0006) over SQLite and, with EFACT_TEST_PG_URL, PostgreSQL
 * (a schema of its own per test, dropped after it): the file index, and the write-back
 * bookkeeping that lets a restart catch up.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Invoice } from '../../domain/invoice.js';
import { ManualClock } from '../clock/manual-clock.js';
import { SqlErpFolderStore } from './erp-folders.js';
import { openStore } from './open.js';
import { openPostgresStore } from './postgres.js';
import type { SqlStore } from './sql-store.js';
import { newTestSchema } from './testing/pg-schemas.js';

const url = process.env.EFACT_TEST_PG_URL;
if (!url) console.warn('ERP-folder store tests on PostgreSQL skipped: EFACT_TEST_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)');

const CIF = '8000000000';

interface Opened {
  store: SqlStore;
  cleanup: () => Promise<void>;
}

const backends: Array<[string, (clock: ManualClock) => Promise<Opened>]> = [
  ['SQLite', async (clock) => ({ store: await openStore({ path: ':memory:', clock }), cleanup: async () => {} })],
];
if (url) {
  backends.push([
    'PostgreSQL',
    async (clock) => {
      const schema = newTestSchema();
      const store = await openPostgresStore({ url, schema, clock, poolSize: 2 });
      return {
        store,
        cleanup: async () => {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            await client.query(`drop schema if exists "${schema}" cascade`);
          } finally {
            await client.end();
          }
        },
      };
    },
  ]);
}

describe.each(backends)('ERP-folder store on %s', (_name, open) => {
  let opened: Opened | null = null;
  afterEach(async () => {
    if (opened) {
      await opened.store.close();
      await opened.cleanup();
    }
    opened = null;
  });

  async function setup() {
    const clock = new ManualClock(Date.UTC(2026, 10, 20, 9, 0, 0));
    opened = await open(clock);
    const { store } = opened;
    await store.migrate();
    const company = await store.upsertCompany({ cif: CIF, shortName: 'T', name: 'T SRL', environment: 'test', exportFolder: '/erp' });
    const erp = new SqlErpFolderStore(store.db, () => clock.now());
    const add = async (id: string, channel: 'folder' | 'api' = 'folder'): Promise<Invoice> => {
      const r = await store.intake(
        {
          companyId: company.id,
          environment: 'test',
          metadata: { standard: 'UBL', series: 'F', number: id, invoiceId: id, issueDate: '2026-11-20', supplierCif: CIF, buyerCif: null, customizationId: null, currency: 'RON', payableAmount: '1' },
          flags: {},
          b2c: false,
          xml: Buffer.from(`<x>${id}</x>`),
          contentHash: id,
          origin: { channel, sourcePath: channel === 'folder' ? `/erp/Efact2026_11/Fact/${id}.XML` : null, computer: null, user: null, branch: null },
        },
        { instance: 't', cause: 'test' },
      );
      if (r.kind === 'conflict') throw new Error('unexpected conflict');
      return r.invoice;
    };
    return { store, clock, company, erp, add };
  }

  it('keeps the file index per company: put, update, load, remove', async () => {
    const { company, erp } = await setup();
    const index = erp.folderIndex(company.id);
    const entry = { path: 'Efact2026_11/Fact/Fact1.XML', size: 10, mtimeMs: 1763629200123.456, hash: 'ab', outcome: 'taken' as const, invoiceId: null, code: null, message: null, sidecar: 'none' };
    await index.put(entry);
    await index.put({ ...entry, size: 11, outcome: 'rejected', code: 'EFACT_ERR_INVALID_XML', message: 'broken' });
    await index.put({ ...entry, path: 'b.xml' });
    const loaded = (await index.load()).sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(loaded).toEqual([
      { ...entry, size: 11, outcome: 'rejected', code: 'EFACT_ERR_INVALID_XML', message: 'broken' },
      { ...entry, path: 'b.xml' },
    ]);
    await index.remove('b.xml');
    expect((await index.load()).map((e) => e.path)).toEqual(['Efact2026_11/Fact/Fact1.XML']);
    expect(await erp.folderIndex(company.id + 1).load()).toEqual([]);
  });

  it('lists folder invoices not yet written back, forgets them once written, and brings a failed one back when due', async () => {
    const { store, clock, company, erp, add } = await setup();
    const a = await add('A1');
    const b = await add('B1');
    await add('C1', 'api'); // not from the folder: never written back
    const now = () => clock.now();
    expect((await erp.listWriteBackDue(company.id, new Date(0), now(), 100)).map((i) => i.id)).toEqual([a.id, b.id]);

    await erp.markWrittenBack(a);
    await erp.markWriteBackFailed(b, 'EACCES: read-only', new Date(now().getTime() + 60_000));
    expect(await erp.listWriteBackDue(company.id, new Date(0), now(), 100)).toEqual([]);
    expect(await erp.countWriteBackErrors(company.id)).toBe(1);
    expect(await erp.listWriteBackErrors(company.id, 10)).toMatchObject([{ invoiceId: b.id, invoiceNumber: 'B1', error: 'EACCES: read-only', attempts: 1 }]);

    // A state change of A brings it back; B comes back when its retry time has come, even below the watermark.
    clock.advance(1000);
    const [moved] = await store.transition([{ invoiceId: a.id, from: 'queued', to: 'invalid', cause: { instance: 't', cause: 'test' } }]);
    expect((await erp.listWriteBackDue(company.id, a.updatedAt, now(), 100)).map((i) => i.id)).toEqual([a.id]);
    await erp.markWrittenBack(moved!);
    clock.advance(60_000);
    expect((await erp.listWriteBackDue(company.id, new Date(now().getTime()), now(), 100)).map((i) => i.id)).toEqual([b.id]);
    await erp.markWriteBackFailed(b, 'EACCES: still', new Date(now().getTime() + 60_000));
    expect((await erp.listWriteBackErrors(company.id, 10))[0]).toMatchObject({ attempts: 2, error: 'EACCES: still' });
    await erp.markWrittenBack(b);
    expect(await erp.countWriteBackErrors(company.id)).toBe(0);
  });

  it('finds the successor of a superseded invoice, and the month rows', async () => {
    const { store, company, erp, add } = await setup();
    const first = await add('D1');
    await store.transition([{ invoiceId: first.id, from: 'queued', to: 'invalid', cause: { instance: 't', cause: 'test' } }]);
    const r = await store.intake(
      {
        companyId: company.id,
        environment: 'test',
        metadata: { standard: 'UBL', series: 'F', number: 'D1', invoiceId: 'D1', issueDate: '2026-11-21', supplierCif: CIF, buyerCif: null, customizationId: null, currency: 'RON', payableAmount: '1' },
        flags: {},
        b2c: false,
        xml: Buffer.from('<x>D1 fixed</x>'),
        contentHash: 'D1b',
        origin: { channel: 'folder', sourcePath: '/erp/Efact2026_11/Fact/D1.XML', computer: null, user: null, branch: null },
      },
      { instance: 't', cause: 'test' },
    );
    if (r.kind !== 'superseded') throw new Error(`expected superseded, got ${r.kind}`);
    expect((await erp.findSuccessor(first.id))?.id).toBe(r.invoice.id);
    expect(await erp.findSuccessor(r.invoice.id)).toBeNull();
    expect((await erp.listMonthRows(company.id)).map((m) => m.status).sort()).toEqual(['queued', 'superseded']);
  });
});
