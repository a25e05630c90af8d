import type { RawBuilder } from 'kysely';
import type { Environment } from '../../domain/company.js';
import { assertTransition } from '../../domain/invoice-status.js';
import type { Invoice } from '../../domain/invoice.js';
import type { ChangeCause, UploadAttempt } from '../../ports/store.js';
import type { Db, StoreContext } from './context.js';
import { pageLimit } from './dialect.js';
import { attemptFromRow, eventRow, invoiceFromRow, millis, num } from './rows.js';
import { assertNotFenced, countWork, fenceWrite } from './registry.js';
import { appendEvents } from './transitions.js';
import { claimScope } from './partition.js';

export type Claimed = { invoice: Invoice; attempt: UploadAttempt };

/**
 * Most invoices one claim takes, whatever is asked: keeps every statement of the claim under
 * the bound-parameter limit, and a claim is "up to `limit`" anyway (the engine asks again).
 */
export const MAX_CLAIM = 500;

/** How many invoices a claim asked for `limit` takes: whole, at most MAX_CLAIM, 0 for none (NaN too). */
export function claimSize(limit: number): number {
  const wanted = Math.min(Math.floor(limit), MAX_CLAIM);
  return wanted > 0 ? wanted : 0;
}

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
 * queued → uploading for up to `limit` invoices, with an upload attempt ('claimed') and an event
 * each, in one transaction. A 'claimed' attempt is a lease, not yet a send: the engine turns it
 * into the write-ahead 'sending' record (markAttemptSending) right before its request leaves, so
 * an invoice claimed but never sent goes back to the queue without any reconciliation
 * (releaseClaims), and only a request that may really have left needs one (ARCHITECTURE rule 1).
 */
export async function claimForUpload(
  ctx: StoreContext,
  companyId: number,
  environment: Environment,
  limit: number,
  now: Date,
  cause: ChangeCause,
): Promise<Claimed[]> {
  const wanted = claimSize(limit);
  if (wanted === 0) return [];
  assertTransition('queued', 'uploading');
  assertNotFenced(ctx);
  const at = millis(now);
  const [claimed, session] = await ctx.db.transaction().execute(async (trx) => {
    const ids = await selectClaimable(trx, ctx, companyId, environment, wanted, now, await claimScope(trx, ctx, companyId));
    if (ids.length === 0) return [[] as Claimed[], null] as const;
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
          outcome: 'claimed' as const,
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
    // Last, so the server's fencing lock is held only until the commit right after.
    return [claimed, await fenceWrite(trx, ctx)] as const;
  });
  countWork(session, { claimed: claimed.length });
  return claimed;
}

/**
 * claimed → sending, right before the request leaves: the write-ahead record of rule 1, under
 * the fencing token, with the moment of sending. A compare-and-set on 'claimed': false when the
 * claim was released meanwhile (its lease ran out and another handle may have it now), and then
 * the request must not be sent.
 */
export async function markAttemptSending(ctx: StoreContext, attemptId: number, at: Date): Promise<boolean> {
  assertNotFenced(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('upload_attempts')
      .set({ outcome: 'sending', started_at: millis(at) })
      .where('id', '=', attemptId)
      .where('outcome', '=', 'claimed')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await fenceWrite(trx, ctx);
    return true;
  });
}

/** Which claims to give back: those of one instance (its own, at start-up), or any older than a lease. */
export interface ReleaseClaimsQuery {
  instance?: string;
  claimedBefore?: Date;
}

/**
 * Gives claims that never reached 'sending' back to the queue: the attempt ends 'not-sent' and
 * the invoice goes uploading → queued, due at once, in one transaction. Safe against the claimer
 * still being alive: its markAttemptSending is a compare-and-set on 'claimed' and fails after
 * this. Returns the invoices released.
 */
export async function releaseClaims(ctx: StoreContext, query: ReleaseClaimsQuery, cause: ChangeCause): Promise<number[]> {
  if (query.instance === undefined && query.claimedBefore === undefined) return [];
  assertTransition('uploading', 'queued');
  assertNotFenced(ctx);
  const now = ctx.now();
  const at = millis(now);
  // Nearly always nothing to give back: a read first, so a pass takes no write lock for it.
  const any = await ctx.db
    .selectFrom('upload_attempts')
    .select('id')
    .where('outcome', '=', 'claimed')
    .$if(query.instance !== undefined, (q) => q.where('instance', '=', query.instance!))
    .$if(query.claimedBefore !== undefined, (q) => q.where('started_at', '<', millis(query.claimedBefore!)))
    .limit(1)
    .executeTakeFirst();
  if (any === undefined) return [];
  return ctx.db.transaction().execute(async (trx) => {
    const attemptRows = await trx
      .updateTable('upload_attempts')
      .set({ outcome: 'not-sent', finished_at: at, note: 'claimed but never sent: given back to the queue' })
      .where('outcome', '=', 'claimed')
      .$if(query.instance !== undefined, (q) => q.where('instance', '=', query.instance!))
      .$if(query.claimedBefore !== undefined, (q) => q.where('started_at', '<', millis(query.claimedBefore!)))
      .returning(['id', 'invoice_id'])
      .execute();
    if (attemptRows.length === 0) return [];
    const attemptOf = new Map(attemptRows.map((r) => [num(r.invoice_id), num(r.id)]));
    const rows = await trx
      .updateTable('invoices')
      .set({ status: 'queued', next_attempt_at: null, updated_at: at })
      .where('id', 'in', [...attemptOf.keys()])
      .where('status', '=', 'uploading')
      .returning('id')
      .execute();
    const released = rows.map((r) => num(r.id)).sort((a, b) => a - b);
    await appendEvents(
      trx,
      ctx,
      released.map((id) => eventRow(id, now, 'uploading', 'queued', cause, { attemptId: attemptOf.get(id)! })),
    );
    await fenceWrite(trx, ctx);
    return released;
  });
}
