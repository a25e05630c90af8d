/**
 * Hot reads over a large table: `npx vitest bench --run src/adapters/store/listing.bench.ts`.
 * Fills EFACT_BENCH_ROWS invoices (default 1 000 000) straight into the tables (intake would
 * take minutes), then times keyset pages deep into the table, the claim select and the
 * upload-id lookup. Not a test: nothing here asserts a time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import { openSqliteStore } from './sqlite.js';
import { newInvoiceRow } from './rows.js';
import { cause, newInvoice } from './suite/harness.js';
import { selectClaimable } from './claims.js';
import { SQLITE_TRAITS } from './dialect.js';

const ROWS = Number(process.env.EFACT_BENCH_ROWS ?? 1_000_000);
const COMPANIES = 10;
const store = await openSqliteStore({ path: process.env.EFACT_BENCH_DB ?? join(mkdtempSync(join(tmpdir(), 'efact-bench-')), 'big.db'), synchronous: 'normal' });
const companies: number[] = [];
for (let c = 0; c < COMPANIES; c++) {
  companies.push((await store.upsertCompany({ cif: String(1000000 + c), shortName: `C${c}`, name: `C${c}`, environment: 'test' })).id);
}
const template = newInvoice(companies[0]!);
const base = Date.UTC(2025, 0, 1);
// Mostly finished invoices, as after months of work; a few live ones.
function statusOf(i: number): InvoiceStatus {
  if (i % 1000 === 0) return 'queued';
  if (i % 1000 === 1) return 'processing';
  if (i % 100 === 2) return 'nok';
  return 'downloaded';
}
for (let start = 0; start < ROWS; start += 10_000) {
  await store.db.transaction().execute(async (trx) => {
    const rows = [];
    for (let i = start; i < Math.min(ROWS, start + 10_000); i++) {
      const row = newInvoiceRow({ ...template, companyId: companies[i % COMPANIES]!, contentHash: `h${i}` }, new Date(base + i * 1000), null);
      rows.push({ ...row, status: statusOf(i), number: String(i), document_id: `F${i}`, upload_id: statusOf(i) === 'queued' ? null : `u${i}` });
    }
    for (let k = 0; k < rows.length; k += 200) await trx.insertInto('invoices').values(rows.slice(k, k + 200)).execute();
  });
}
await store.db.executeQuery({ sql: 'analyze', parameters: [], query: undefined as never, queryId: { queryId: 'analyze' } as never });

const c0 = companies[3]!;
const deepId = Math.floor(ROWS * 0.9);
describe(`${ROWS} invoices`, () => {
  bench('page of 50, one company, deep in the table', async () => {
    await store.listInvoices({ companyId: c0, afterId: deepId, limit: 50 });
  });
  bench('page of 50, one company, status downloaded, descending', async () => {
    await store.listInvoices({ companyId: c0, status: 'downloaded', afterId: deepId, limit: 50, order: 'desc' });
  });
  bench('page of 50, one company, rare status (queued)', async () => {
    await store.listInvoices({ companyId: c0, status: 'queued', limit: 50 });
  });
  bench('page of 50, one company, live statuses (queued, processing, nok)', async () => {
    await store.listInvoices({ companyId: c0, environment: 'test', status: ['queued', 'processing', 'nok'], afterId: deepId, limit: 50 });
  });
  const dayFrom = new Date(base + deepId * 1000);
  const dayTo = new Date(dayFrom.getTime() + 86_400_000);
  bench('page of 50, all companies, created in one day (86 400 rows)', async () => {
    await store.listInvoices({ from: dayFrom, to: dayTo, limit: 50 });
  });
  bench('page of 50, all companies, created in one day, descending', async () => {
    await store.listInvoices({ from: dayFrom, to: dayTo, afterId: deepId + 50_000, limit: 50, order: 'desc' });
  });
  bench('page of 50, one company, status downloaded, created in one day', async () => {
    await store.listInvoices({ companyId: c0, status: 'downloaded', from: dayFrom, to: dayTo, limit: 50 });
  });
  bench('page of 50, all companies, created since the first row (whole table)', async () => {
    await store.listInvoices({ from: new Date(base), limit: 50 });
  }, { iterations: 10 });
  bench('claim select (100 due)', async () => {
    await selectClaimable(store.db, { db: store.db, traits: SQLITE_TRAITS } as never, c0, 'test', 100, new Date(base + ROWS * 1000));
  });
  bench('find 100 upload ids', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `u${deepId + i * 10 + 3}`);
    await store.findByUploadIds(c0, 'test', ids);
  });
  bench('count by status', async () => {
    await store.countByStatus(c0);
  }, { iterations: 5 });
  bench('intake (duplicate check + same-number check + insert)', async () => {
    await store.intake(newInvoice(c0), cause());
  });
});
