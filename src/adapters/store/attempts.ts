import { EfactError } from '../../domain/errors.js';
import type { UploadAttempt } from '../../ports/store.js';
import type { Db, StoreContext } from './context.js';
import { assertNotFenced, fenceWrite } from './registry.js';
import { attemptFromRow, millis } from './rows.js';

/** Records how an upload attempt ended (the write-ahead record written by the claim). */
export async function finishAttempt(
  ctx: StoreContext,
  attemptId: number,
  outcome: UploadAttempt['outcome'],
  uploadId: string | null,
  note: string | null,
  at: Date,
): Promise<void> {
  assertNotFenced(ctx);
  if (ctx.session === null) {
    await finishAttemptIn(ctx.db, attemptId, outcome, uploadId, note, at);
    return;
  }
  await ctx.db.transaction().execute(async (trx) => {
    await finishAttemptIn(trx, attemptId, outcome, uploadId, note, at);
    await fenceWrite(trx, ctx);
  });
}

/** The same, inside a transaction the caller holds (a transition closing its attempt). */
export async function finishAttemptIn(
  db: Db,
  attemptId: number,
  outcome: UploadAttempt['outcome'],
  uploadId: string | null,
  note: string | null,
  at: Date,
): Promise<void> {
  const result = await db
    .updateTable('upload_attempts')
    .set({ outcome, upload_id: uploadId, note, finished_at: millis(at) })
    .where('id', '=', attemptId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw new EfactError('NOT_FOUND', `no upload attempt with id ${attemptId}`, { details: { attemptId } });
  }
}

/** Attempts not finished: claims not yet sent, and uploads whose fate is unknown (to reconcile before any resend). */
export async function listOpenAttempts(ctx: StoreContext): Promise<UploadAttempt[]> {
  const rows = await ctx.db
    .selectFrom('upload_attempts')
    .selectAll()
    .where('outcome', 'in', ['claimed', 'sending', 'uncertain'])
    .orderBy('id')
    .execute();
  return rows.map(attemptFromRow);
}

export async function listAttempts(ctx: StoreContext, invoiceId: number): Promise<UploadAttempt[]> {
  const rows = await ctx.db
    .selectFrom('upload_attempts')
    .selectAll()
    .where('invoice_id', '=', invoiceId)
    .orderBy('id')
    .execute();
  return rows.map(attemptFromRow);
}
