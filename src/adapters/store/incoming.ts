import { EfactError } from '../../domain/errors.js';
import type { IncomingMessage, IncomingMessageInput } from '../../ports/store.js';
import type { StoreContext } from './context.js';
import { chunkRows, pageLimit } from './dialect.js';
import { detailsJson, incomingFromRow, incomingRow, millis } from './rows.js';

const INCOMING_COLUMNS = 12;

/**
 * Inserts the messages not seen before and returns those. The unique key
 * (company, environment, message id) decides, through ON CONFLICT DO NOTHING, so two
 * instances listing the same messages at once still store each one once.
 */
export async function addIncomingMessages(
  ctx: StoreContext,
  messages: readonly IncomingMessageInput[],
): Promise<IncomingMessage[]> {
  if (messages.length === 0) return [];
  const now = ctx.now();
  const rows = messages.map((m) => incomingRow(m, now));
  return ctx.db.transaction().execute(async (trx) => {
    const added: IncomingMessage[] = [];
    for (const chunk of chunkRows(rows, INCOMING_COLUMNS, ctx.traits)) {
      const inserted = await trx
        .insertInto('incoming_messages')
        .values(chunk)
        .onConflict((oc) => oc.columns(['company_id', 'environment', 'message_id']).doNothing())
        .returningAll()
        .execute();
      added.push(...inserted.map(incomingFromRow));
    }
    return added.sort((a, b) => a.id - b.id);
  });
}

/** Newest first. */
export async function listIncomingMessages(ctx: StoreContext, companyId: number, limit: number): Promise<IncomingMessage[]> {
  if (limit <= 0) return [];
  const rows = await ctx.db
    .selectFrom('incoming_messages')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('id', 'desc')
    .limit(pageLimit(limit))
    .execute();
  return rows.map(incomingFromRow);
}

export async function markIncomingDownloaded(
  ctx: StoreContext,
  id: number,
  archivePath: string,
  summary: Record<string, unknown> | null,
  at: Date,
): Promise<void> {
  const result = await ctx.db
    .updateTable('incoming_messages')
    .set({ archive_path: archivePath, summary: detailsJson(summary), downloaded_at: millis(at) })
    .where('id', '=', id)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw new EfactError('NOT_FOUND', `no incoming message with id ${id}`, { details: { id } });
  }
}
