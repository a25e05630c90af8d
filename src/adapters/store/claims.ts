import type { RawBuilder } from 'kysely';
import type { Environment } from '../../domain/company.js';
import { assertTransition } from '../../domain/invoice-status.js';
import type { Invoice } from '../../domain/invoice.js';
import type { ChangeCause, UploadAttempt } from '../../ports/store.js';
import type { Db, StoreContext } from './context.js';
import { pageLimit } from './dialect.js';
import { attemptFromRow, eventRow, invoiceFromRow, millis, num } from './rows.js';
import { assertNotFenced, fenceWrite } from './registry.js';
import { appendEvents } from './transitions.js';
import { claimScope } from './partition.js';

export type Claimed = { invoice: Invoice; attempt: UploadAttempt };

/**
 * Most invoices one claim takes, whatever is asked: keeps every statement of the claim under
 * the bound-parameter limit, and a claim is "up to `limit`" anyway (the engine asks again).
 */
export const MAX_CLAIM = 500;

/**
 * Ids of queued invoices of a company whose next attempt is due, oldest first, within `scope`
 * (this instance's share under the partition filters, partition.ts). Kept apart so the row lock
 * is visible: on PostgreSQL each instance skips rows another is claiming.
 */
export async function selectClaimable(
  db: Db,
  ctx: StoreContext,
  companyId: number,
  environment: Environment,
  limit: number,
  now: Date,
  scope: RawBuilder<boolean> | null = null,
): Promise<number[]> {
  const at = millis(now);
  let query = db
    .selectFrom('invoices')
    .select('id')
    .where('company_id', '=', companyId)
    .where('environment', '=', environment)
    .where('status', '=', 'queued')
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', at)]))
    .$if(scope !== null, (q) => q.where(scope!))
    .orderBy('id')
    .limit(pageLimit(limit));
  if (ctx.traits.rowLocks) query = query.forUpdate().skipLocked();
  const rows = await query.execute();
  return rows.map((r) => num(r.id));
}

/**
 * queued → uploading for up to `limit` invoices, with the write-ahead upload attempt
 * ('sending') and an event each, in one transaction: once this commits, a crash before the
 * upload's answer is recorded leaves a trace that reconciliation finds (ARCHITECTURE rule 1).
 */
export async function claimForUpload(
  ctx: StoreContext,
  companyId: number,
  environment: Environment,
  limit: number,
  now: Date,
  cause: ChangeCause,
): Promise<Claimed[]> {
  const wanted = Math.min(Math.floor(limit), MAX_CLAIM);
  if (!(wanted > 0)) return [];
  assertTransition('queued', 'uploading');
  assertNotFenced(ctx);
  const at = millis(now);
  return ctx.db.transaction().execute(async (trx) => {
    const ids = await selectClaimable(trx, ctx, companyId, environment, wanted, now, await claimScope(trx, ctx));
    if (ids.length === 0) return [];
    const rows = await trx
      .updateTable('invoices')
      .set((eb) => ({ status: 'uploading', attempts: eb('attempts', '+', 1), updated_at: at }))
      .where('id', 'in', ids)
      .where('status', '=', 'queued')
      .returningAll()
      .execute();
    // RETURNING order is unspecified; hand the invoices back oldest first, like the select.
    const invoices = rows.map(invoiceFromRow).sort((a, b) => a.id - b.id);
    const attemptRows = await trx
      .insertInto('upload_attempts')
      .values(
        invoices.map((inv) => ({
          invoice_id: inv.id,
          company_id: inv.companyId,
          environment: inv.environment,
          instance: cause.instance,
          content_hash: inv.contentHash,
          started_at: at,
          finished_at: null,
          outcome: 'sending' as const,
          upload_id: null,
          note: null,
        })),
      )
      .returningAll()
      .execute();
    const attempts = new Map(attemptRows.map((r) => [num(r.invoice_id), attemptFromRow(r)]));
    const claimed = invoices.map((invoice) => ({ invoice, attempt: attempts.get(invoice.id)! }));
    await appendEvents(
      trx,
      ctx,
      claimed.map((c) => eventRow(c.invoice.id, now, 'queued', 'uploading', cause, { attemptId: c.attempt.id })),
    );
    // Last, so the registration row is locked only until the commit right after.
    await fenceWrite(trx, ctx, { claimed: claimed.length });
    return claimed;
  });
}
