/**
 * How fast the engine's hot path runs: `npx vitest bench --run src/adapters/store`.
 * One iteration of "batch" is ONE transition() call moving 1000 invoices ("small batches": the
 * same 1000 in 100 transactions, where fsync dominates on a file); one iteration of
 * "lifecycle" carries 1000 invoices through claim → processing → ok → downloaded → queued
 * (5 000 state changes, each with its event). Not a test: nothing here asserts a time.
 * With EFACT_TEST_PG_URL set, the same runs on PostgreSQL too (a schema of its own, dropped after).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, bench, describe } from 'vitest';
import type { Store, TransitionRequest } from '../../ports/store.js';
import { openPostgresStore } from './postgres.js';
import { openSqliteStore } from './sqlite.js';
import { cause, newInvoice } from './suite/harness.js';

const N = 1000;

async function prepare(path: string, synchronous: 'full' | 'normal'): Promise<{ store: Store; companyId: number; ids: number[] }> {
  return fill(await openSqliteStore({ path, synchronous }));
}

async function fill(store: Store): Promise<{ store: Store; companyId: number; ids: number[] }> {
  const company = await store.upsertCompany({ cif: '1234567', shortName: 'B', name: 'Bench SRL', environment: 'test' });
  const ids: number[] = [];
  for (let i = 0; i < N; i++) {
    const r = await store.intake(newInvoice(company.id), cause('intake'));
    if (r.kind === 'created') ids.push(r.invoice.id);
  }
  return { store, companyId: company.id, ids };
}

const dir = mkdtempSync(join(tmpdir(), 'efact-bench-'));
const targets = [
  { name: 'memory', ...(await prepare(':memory:', 'full')) },
  { name: 'file FULL', ...(await prepare(join(dir, 'full.db'), 'full')) },
  { name: 'file NORMAL', ...(await prepare(join(dir, 'normal.db'), 'normal')) },
];

const pgUrl = process.env.EFACT_TEST_PG_URL;
if (pgUrl) {
  const schema = `efact_bench_${randomBytes(6).toString('hex')}`;
  const target = { name: 'PostgreSQL', ...(await fill(await openPostgresStore({ url: pgUrl, schema }))) };
  targets.push(target);
  afterAll(async () => {
    await target.store.close();
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });
}

for (const t of targets) {
  describe(t.name, () => {
    let tick = 0;
    bench('batch: ONE transition() of 1000 × queued→queued with a patch', async () => {
      tick += 1;
      // still due for the lifecycle bench, which claims "now" = 2030
      const next = new Date(Date.UTC(2026, 0, 1) + tick);
      await t.store.transition(
        t.ids.map((id) => ({
          invoiceId: id,
          from: 'queued',
          to: 'queued',
          patch: { nextAttemptAt: next, lastError: 'retry', addAttempts: 1 },
          cause: cause('retry-later', { tick }),
        })),
      );
    }, { iterations: 20, warmupIterations: 3 });

    bench('small batches: 1000 transitions as 100 transition() calls of 10', async () => {
      tick += 1;
      const next = new Date(Date.UTC(2026, 0, 1) + tick);
      for (let i = 0; i < t.ids.length; i += 10) {
        const requests: TransitionRequest[] = t.ids.slice(i, i + 10).map((id) => ({
          invoiceId: id,
          from: 'queued',
          to: 'queued',
          patch: { nextAttemptAt: next },
          cause: cause('retry-later'),
        }));
        await t.store.transition(requests);
      }
    }, { iterations: 10, warmupIterations: 2 });

    bench('lifecycle: 1000 invoices claim → processing → ok → downloaded → queued', async () => {
      const now = new Date(Date.UTC(2030, 0, 1));
      const claimed = [];
      for (;;) {
        const batch = await t.store.claimForUpload(t.companyId, 'test', 500, now, cause('claim'));
        if (batch.length === 0) break;
        claimed.push(...batch);
      }
      const ids = claimed.map((c) => c.invoice.id);
      await t.store.transition(ids.map((id) => ({ invoiceId: id, from: 'uploading', to: 'processing', patch: { uploadId: `u${id}`, uploadedAt: now, addPlatformCalls: 1 }, cause: cause('upload-accepted') })));
      await t.store.transition(ids.map((id) => ({ invoiceId: id, from: 'processing', to: 'ok', patch: { downloadId: `d${id}`, resolvedAt: now, addPlatformCalls: 1 }, cause: cause('status:ok') })));
      await t.store.transition(ids.map((id) => ({ invoiceId: id, from: 'ok', to: 'downloaded', patch: { archivePath: `a/${id}.zip`, downloadedAt: now, addPlatformCalls: 1 }, cause: cause('downloaded') })));
      await t.store.transition(ids.map((id) => ({ invoiceId: id, from: 'downloaded', to: 'queued', patch: { uploadId: null, downloadId: null }, cause: cause('bench-recycle') })));
    }, { iterations: 10, warmupIterations: 2 });
  });
}
