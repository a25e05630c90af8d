import { sql, type Selectable } from 'kysely';
import { EfactError } from '../../domain/errors.js';
import { assertTransition, SUPERSEDABLE_STATUSES, type InvoiceStatus } from '../../domain/invoice-status.js';
import type { Invoice } from '../../domain/invoice.js';
import type { ChangeCause, IntakeResult, NewInvoice } from '../../ports/store.js';
import type { Db, StoreContext } from './context.js';
import { pageLimit } from './dialect.js';
import { eventRow, invoiceFromRow, millis, newInvoiceRow, toBuffer } from './rows.js';
import type { InvoicesTable } from './schema.js';
import { notifyWakeIn } from './wake-listener.js';

/** A still-queued invoice was never sent, so a newer file for the same number may replace it too. */
function replaceable(status: InvoiceStatus): boolean {
  return status === 'queued' || SUPERSEDABLE_STATUSES.includes(status);
}

/** Thrown inside the transaction to roll back when a predecessor moved under our feet. */
class LostRace extends Error {
  constructor(readonly existing: Invoice) {
    super('predecessor changed during intake');
  }
}

/**
 * Stores a new invoice, in one transaction with everything it decides on:
 * - the very same bytes already known for the company (not superseded) → 'duplicate';
 * - another live invoice with the same full invoice id (cbc:ID) in the same environment:
 *   replaceable (queued, nok, invalid, needs-attention) → it becomes `superseded` and the new
 *   one points at it; anywhere from uploading onwards → 'conflict', nothing written;
 * - otherwise → 'created'.
 * An empty invoice id never matches: two files that both lack one are not "the same invoice".
 */
export async function intake(ctx: StoreContext, input: NewInvoice, cause: ChangeCause): Promise<IntakeResult> {
  const now = ctx.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      await lockCompany(trx, ctx, input.companyId);
      const company = await trx.selectFrom('companies').select('id').where('id', '=', input.companyId).executeTakeFirst();
      if (company === undefined) {
        throw new EfactError('UNKNOWN_COMPANY', `no company with id ${input.companyId}`, { details: { companyId: input.companyId } });
      }
      const duplicate = await findSameBytes(trx, input.companyId, input.contentHash);
      if (duplicate !== undefined) return { kind: 'duplicate', invoice: invoiceFromRow(duplicate) };

      const predecessors =
        input.metadata.invoiceId === '' ? [] : await findSameDocument(trx, input);
      const blocking = predecessors.find((p) => !replaceable(p.status));
      if (blocking !== undefined) return { kind: 'conflict', existing: invoiceFromRow(blocking) };

      // Newest predecessor is the one the new invoice is said to replace.
      const replacedRow = predecessors.at(-1);
      const created = await insertInvoice(trx, input, now, cause, replacedRow === undefined ? null : Number(replacedRow.id));
      // Delivered to every instance at commit (nothing on rollback): new work for this company.
      if (ctx.traits.wakeNotify && input.rejected !== true) await notifyWakeIn(trx, input.companyId);
      if (replacedRow === undefined) return { kind: 'created', invoice: created };

      let replaced: Invoice | undefined;
      for (const p of predecessors) {
        const updated = await supersede(trx, p, created.id, now, cause);
        if (p === replacedRow) replaced = updated;
      }
      return { kind: 'superseded', invoice: created, replaced: replaced! };
    });
  } catch (e) {
    if (e instanceof LostRace) return { kind: 'conflict', existing: e.existing };
    throw e;
  }
}

/**
 * PostgreSQL: a transaction-scoped advisory lock on the company (released at commit or
 * rollback), so two intakes of the same number, or the same bytes, cannot both miss each other:
 * the second waits, and under READ COMMITTED its next statements see what the first committed.
 * Keyed by schema too, so efact schemas sharing a database do not wait for each other. SQLite's
 * single writer (BEGIN IMMEDIATE) already serialises this transaction.
 */
async function lockCompany(db: Db, ctx: StoreContext, companyId: number): Promise<void> {
  if (!ctx.traits.intakeLock) return;
  await sql`select pg_advisory_xact_lock(hashtextextended('efact.intake.' || current_schema() || '.' || ${String(companyId)}::text, 0))`.execute(db);
}

async function findSameBytes(db: Db, companyId: number, contentHash: string): Promise<Selectable<InvoicesTable> | undefined> {
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('content_hash', '=', contentHash)
    .where('status', '<>', 'superseded')
    .orderBy('id', 'desc')
    .limit(pageLimit(1))
    .executeTakeFirst();
}

/** Normally at most one; several only if invoices were moved between environments. */
async function findSameDocument(db: Db, input: NewInvoice): Promise<Array<Selectable<InvoicesTable>>> {
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('company_id', '=', input.companyId)
    .where('environment', '=', input.environment)
    .where('document_id', '=', input.metadata.invoiceId)
    .where('status', '<>', 'superseded')
    .orderBy('id')
    .execute();
}

async function insertInvoice(
  db: Db,
  input: NewInvoice,
  now: Date,
  cause: ChangeCause,
  supersedesId: number | null,
): Promise<Invoice> {
  const row = await db.insertInto('invoices').values(newInvoiceRow(input, now, supersedesId)).returningAll().executeTakeFirstOrThrow();
  const invoice = invoiceFromRow(row);
  await db.insertInto('invoice_xml').values({ invoice_id: invoice.id, xml: toBuffer(input.xml) }).execute();
  await db.insertInto('invoice_events').values(eventRow(invoice.id, now, null, invoice.status, cause)).execute();
  return invoice;
}

async function supersede(
  db: Db,
  old: Selectable<InvoicesTable>,
  byId: number,
  now: Date,
  cause: ChangeCause,
): Promise<Invoice> {
  assertTransition(old.status, 'superseded');
  const id = Number(old.id);
  // Compare-and-set: on PostgreSQL an engine may have claimed a queued predecessor meanwhile.
  const row = await db
    .updateTable('invoices')
    .set({ status: 'superseded', updated_at: millis(now) })
    .where('id', '=', id)
    .where('status', '=', old.status)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) {
    const current = await db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    throw new LostRace(invoiceFromRow(current));
  }
  await db
    .insertInto('invoice_events')
    .values(eventRow(id, now, old.status, 'superseded', { ...cause, cause: 'superseded' }, { supersededBy: byId, intakeCause: cause.cause }))
    .execute();
  return invoiceFromRow(row);
}
