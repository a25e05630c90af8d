/**
 * Claiming answer downloads, like uploads: an `ok` invoice whose answer is still to fetch is
 * taken by one instance at a time. The claim is a lease written into the invoice row itself
 * (`next_attempt_at` = now + lease): nobody else takes it until the lease passes, and a claimer
 * that dies simply lets it pass. Writing the row (not a side table) matters on PostgreSQL: a
 * competing claim that waited for the row's lock re-checks its conditions on the new row
 * version and skips it.
 */
import type { Environment } from '../../domain/company.js';
import type { Invoice } from '../../domain/invoice.js';
import type { StoreContext } from './context.js';
import { pageLimit } from './dialect.js';
import { claimSize } from './claims.js';
import { claimScope } from './partition.js';
import { assertNotFenced, fenceWrite } from './registry.js';
import { invoiceFromRow, millis, num } from './rows.js';

/**
 * Up to `limit` `ok` invoices of a company with a known download id and a due next attempt,
 * oldest first, within this handle's partition share; each is leased for `leaseMs`.
 */
export async function claimForDownload(
  ctx: StoreContext,
  companyId: number,
  environment: Environment,
  limit: number,
  now: Date,
  leaseMs: number,
): Promise<Invoice[]> {
  const wanted = claimSize(limit);
  if (wanted === 0) return [];
  assertNotFenced(ctx);
  const at = millis(now);
  const until = at + Math.max(1, Math.ceil(leaseMs));
  return ctx.db.transaction().execute(async (trx) => {
    const scope = await claimScope(trx, ctx);
    let query = trx
      .selectFrom('invoices')
      .select('id')
      .where('company_id', '=', companyId)
      .where('environment', '=', environment)
      .where('status', '=', 'ok')
      .where('download_id', 'is not', null)
      .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', at)]))
      .$if(scope !== null, (q) => q.where(scope!))
      .orderBy('id')
      .limit(pageLimit(wanted));
    if (ctx.traits.rowLocks) query = query.forUpdate().skipLocked();
    const ids = (await query.execute()).map((r) => num(r.id));
    if (ids.length === 0) return [];
    const rows = await trx
      .updateTable('invoices')
      .set({ next_attempt_at: until })
      .where('id', 'in', ids)
      .where('status', '=', 'ok')
      .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', at)]))
      .returningAll()
      .execute();
    // A fenced instance claims nothing: the lease write rolls back with the transaction.
    await fenceWrite(trx, ctx);
    return rows.map(invoiceFromRow).sort((a, b) => a.id - b.id);
  });
}
