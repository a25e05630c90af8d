import type { PlatformCallRecord } from '../../ports/call-ledger.js';
import type { StoreContext } from './context.js';
import { chunkRows } from './dialect.js';
import { callRow, millis } from './rows.js';

const CALL_COLUMNS = 11;

/** Appends a batch of platform calls to the ledger in one transaction. */
export async function recordCalls(ctx: StoreContext, calls: readonly PlatformCallRecord[]): Promise<void> {
  if (calls.length === 0) return;
  const rows = calls.map(callRow);
  await ctx.db.transaction().execute(async (trx) => {
    for (const chunk of chunkRows(rows, CALL_COLUMNS, ctx.traits)) {
      await trx.insertInto('platform_calls').values(chunk).execute();
    }
  });
}

export async function countCalls(
  ctx: StoreContext,
  filter: { invoiceId?: number; companyCif?: string; since?: Date },
): Promise<number> {
  let query = ctx.db.selectFrom('platform_calls').select((eb) => eb.fn.countAll().as('count'));
  if (filter.invoiceId !== undefined) query = query.where('invoice_id', '=', filter.invoiceId);
  if (filter.companyCif !== undefined) query = query.where('company_cif', '=', filter.companyCif);
  if (filter.since !== undefined) query = query.where('at', '>=', millis(filter.since));
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}
