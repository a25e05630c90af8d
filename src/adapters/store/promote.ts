import { EfactError } from '../../domain/errors.js';
import { assertTransition } from '../../domain/invoice-status.js';
import type { ChangeCause } from '../../ports/store.js';
import type { Db, StoreContext } from './context.js';
import { eventRow, millis, num } from './rows.js';
import { appendEvents } from './transitions.js';

/** The test invoices to move, with what is about to be cleared (kept in their events). */
async function selectTestInvoices(db: Db, ctx: StoreContext, companyId: number) {
  let query = db
    .selectFrom('invoices')
    .select(['id', 'status', 'upload_id', 'download_id', 'archive_path'])
    .where('company_id', '=', companyId)
    .where('environment', '=', 'test')
    .where('status', '<>', 'superseded')
    .orderBy('id');
  // PostgreSQL: hold the rows so an engine cannot move one between this read and the update.
  if (ctx.traits.rowLocks) query = query.forUpdate();
  return query.execute();
}

/**
 * "Reset eFact" (the manuals): only while the company is in test, every test invoice that is
 * not superseded becomes a queued production invoice, with everything learned from the test
 * platform cleared (upload/download ids and dates, archive path, messages, back-off, attempts,
 * last error), so it is sent again without regenerating the XML; the company moves to prod.
 * Each invoice gets an event recording its test status and ids, so nothing is lost.
 */
export async function promoteToProd(ctx: StoreContext, companyId: number, cause: ChangeCause): Promise<number> {
  const now = ctx.now();
  const at = millis(now);
  return ctx.db.transaction().execute(async (trx) => {
    const company = await trx
      .selectFrom('companies')
      .select(['id', 'environment'])
      .where('id', '=', companyId)
      .executeTakeFirst();
    if (company === undefined) {
      throw new EfactError('UNKNOWN_COMPANY', `no company with id ${companyId}`, { details: { companyId } });
    }
    if (company.environment === 'prod') {
      throw new EfactError('WRONG_ENVIRONMENT', 'the company is already in production; only test invoices can be promoted', {
        details: { companyId },
      });
    }
    const invoices = await selectTestInvoices(trx, ctx, companyId);
    for (const inv of invoices) assertTransition(inv.status, 'queued');
    if (invoices.length > 0) {
      await trx
        .updateTable('invoices')
        .set({
          environment: 'prod',
          status: 'queued',
          upload_id: null,
          uploaded_at: null,
          download_id: null,
          resolved_at: null,
          downloaded_at: null,
          archive_path: null,
          messages: '[]',
          next_attempt_at: null,
          attempts: 0,
          last_error: null,
          updated_at: at,
        })
        .where('company_id', '=', companyId)
        .where('environment', '=', 'test')
        .where('status', '<>', 'superseded')
        .execute();
      await appendEvents(
        trx,
        ctx,
        invoices.map((inv) =>
          eventRow(num(inv.id), now, inv.status, 'queued', cause, {
            promotedFromTest: true,
            testStatus: inv.status,
            testUploadId: inv.upload_id,
            testDownloadId: inv.download_id,
            testArchivePath: inv.archive_path,
          }),
        ),
      );
    }
    await trx.updateTable('companies').set({ environment: 'prod', updated_at: at }).where('id', '=', companyId).execute();
    return invoices.length;
  });
}
