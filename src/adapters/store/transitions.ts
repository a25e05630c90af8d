import type { Insertable, Selectable } from 'kysely';
import { assertTransition } from '../../domain/invoice-status.js';
import type { Invoice } from '../../domain/invoice.js';
import type { TransitionRequest } from '../../ports/store.js';
import { batchable, batchCompareAndSet, batchFinishAttempts } from './batch-transitions.js';
import { chunkRows } from './dialect.js';
import { finishAttemptIn } from './attempts.js';
import type { Db, StoreContext } from './context.js';
import { QueryTemplate } from './query-template.js';
import { assertNotFenced, countWork, fenceWrite } from './registry.js';
import { eventRow, invoiceFromRow, millis, patchColumns } from './rows.js';
import type { InvoiceEventsTable, InvoicesTable } from './schema.js';

const EVENT_COLUMNS = 7;

/**
 * The engine's hot path. Every request is checked against the state machine before anything
 * is touched (an illegal pair throws IllegalTransitionError and the batch writes nothing); then,
 * in one transaction, each is a compare-and-set on the status that returns the updated row in
 * the same statement (RETURNING, no read-back), and the events of the batch are appended in
 * a few multi-row inserts at the end. On PostgreSQL a batch is one statement per patch shape
 * (batch-transitions.ts), where a round trip per invoice would dominate.
 */
export async function transition(ctx: StoreContext, requests: readonly TransitionRequest[]): Promise<Array<Invoice | null>> {
  for (const r of requests) assertTransition(r.from, r.to);
  if (requests.length === 0) return [];
  assertNotFenced(ctx);
  const now = ctx.now();
  const batched = ctx.traits.batchUpdates && batchable(requests);
  const [results, session] = await ctx.db.transaction().execute(async (trx) => {
    const results: Array<Invoice | null> = [];
    const events: Array<Insertable<InvoiceEventsTable>> = [];
    if (batched) {
      const rows = await batchCompareAndSet(trx, requests, now);
      for (const r of requests) {
        const row = rows.get(r.invoiceId);
        results.push(row === undefined ? null : invoiceFromRow(row));
        if (row !== undefined) events.push(eventRow(r.invoiceId, now, r.from, r.to, r.cause));
      }
      await batchFinishAttempts(trx, requests.flatMap((r) => (r.attempt ? [r.attempt] : [])), now);
    } else {
      for (const r of requests) {
        const updated = await compareAndSet(trx, ctx, r, now);
        results.push(updated);
        if (updated !== null) events.push(eventRow(r.invoiceId, now, r.from, r.to, r.cause));
        if (r.attempt) await finishAttemptIn(trx, r.attempt.id, r.attempt.outcome, r.attempt.uploadId, r.attempt.note, now);
      }
    }
    await appendEvents(trx, ctx, events);
    // A registered instance writes only while its registration is its own (registry.ts).
    return [results, await fenceWrite(trx, ctx)] as const;
  });
  // Counted once committed: a rolled-back batch uploaded nothing.
  const uploaded = requests.filter((r, i) => r.from === 'uploading' && r.to === 'processing' && results[i] !== null).length;
  countWork(session, { uploaded });
  return results;
}

/**
 * UPDATE invoices SET status = :to, <patched columns>, updated_at = :now
 *   WHERE id = :id AND status = :from RETURNING *
 * One template per patch shape (which columns it sets, which counters it adds to).
 */
async function compareAndSet(db: Db, ctx: StoreContext, r: TransitionRequest, now: Date): Promise<Invoice | null> {
  const patch = r.patch ?? {};
  const columns = patchColumns(patch);
  const names = Object.keys(columns).sort() as Array<keyof typeof columns>;
  // Increments, not read-modify-write: two writers adding calls never lose one.
  const addCalls = patch.addPlatformCalls ?? 0;
  const addAttempts = patch.addAttempts ?? 0;
  const key = `cas:${names.join(',')}:${addCalls !== 0 ? 'calls' : ''}:${addAttempts !== 0 ? 'attempts' : ''}`;
  const template = ctx.templates.get(key, () => {
    const slotNames = ['to', 'updatedAt', 'id', 'from', ...names.map((n) => `set:${n}`)];
    if (addCalls !== 0) slotNames.push('addCalls');
    if (addAttempts !== 0) slotNames.push('addAttempts');
    return QueryTemplate.compile(slotNames, (slot) =>
      ctx.db
        .updateTable('invoices')
        .set((eb) => {
          const set: Record<string, unknown> = { status: slot('to'), updated_at: slot('updatedAt') };
          for (const n of names) set[n] = slot(`set:${n}`);
          if (addCalls !== 0) set.platform_calls = eb('platform_calls', '+', slot('addCalls'));
          if (addAttempts !== 0) set.attempts = eb('attempts', '+', slot('addAttempts'));
          return set as never;
        })
        .where('id', '=', slot('id'))
        .where('status', '=', slot('from'))
        .returningAll(),
    );
  });
  const values: Record<string, unknown> = { to: r.to, updatedAt: millis(now), id: r.invoiceId, from: r.from, addCalls, addAttempts };
  for (const n of names) values[`set:${n}`] = columns[n];
  const result = await db.executeQuery(template.bind(values));
  const row = result.rows[0] as Selectable<InvoicesTable> | undefined;
  return row === undefined ? null : invoiceFromRow(row);
}

/** Appends events; shared by every module that changes a status. */
export async function appendEvents(db: Db, ctx: StoreContext, events: Array<Insertable<InvoiceEventsTable>>): Promise<void> {
  for (const chunk of chunkRows(events, EVENT_COLUMNS, ctx.traits)) {
    await db.insertInto('invoice_events').values(chunk).execute();
  }
}
