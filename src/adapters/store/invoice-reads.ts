import { sql, type Expression, type RawBuilder } from 'kysely';
import type { Environment } from '../../domain/company.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import type { Invoice } from '../../domain/invoice.js';
import type { InvoiceEvent, InvoiceQuery, StatusCount } from '../../ports/store.js';
import type { Db, StoreContext } from './context.js';
import { pageLimit } from './dialect.js';
import { claimScope } from './partition.js';
import { bytes, eventFromRow, invoiceFromRow, millis, num } from './rows.js';

export async function getInvoice(ctx: StoreContext, id: number): Promise<Invoice | null> {
  const row = await ctx.db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : invoiceFromRow(row);
}

export async function getInvoiceXml(ctx: StoreContext, id: number): Promise<Uint8Array | null> {
  const row = await ctx.db.selectFrom('invoice_xml').select('xml').where('invoice_id', '=', id).executeTakeFirst();
  return row === undefined ? null : bytes(row.xml);
}

/**
 * One page of invoices in id order. Paging is by keyset: `afterId` is the last id of the
 * previous page, and means "after it in the chosen order" (greater ids when ascending, smaller
 * when descending), so a page costs the same at row 10 and at row 1 000 000 (no OFFSET).
 */
export async function listInvoices(ctx: StoreContext, q: InvoiceQuery): Promise<Invoice[]> {
  const statuses = q.status === undefined ? undefined : Array.isArray(q.status) ? q.status : [q.status];
  if (statuses !== undefined && statuses.length === 0) return [];
  if (q.limit <= 0) return [];
  if (q.companyIds !== undefined && q.companyIds.length === 0) return [];
  const order = q.order ?? 'asc';
  const ranged = q.from !== undefined || q.to !== undefined;
  const scope = q.mine === true ? await claimScope(ctx.db, ctx) : null;
  if (!ranged || !ctx.traits.steerDateRanges) {
    const rows = await filtered(ctx.db, q, statuses, sql.ref('id'), scope).selectAll().orderBy('id', order).limit(pageLimit(q.limit)).execute();
    return rows.map(invoiceFromRow);
  }
  // A date range on SQLite (see DialectTraits.steerDateRanges): `+id` is the same value but
  // no index can serve it, so the planner takes a created_at index, finds the range's rows
  // and sorts just those; the sort runs over ids alone and the page's rows are read after,
  // by primary key. Cost follows the size of the range, never the size of the table.
  const plusId = sql<number>`+${sql.ref('id')}`;
  const page = filtered(ctx.db, q, statuses, plusId, scope).select('id').orderBy(plusId, order).limit(pageLimit(q.limit));
  const rows = await ctx.db.selectFrom('invoices').selectAll().where('id', 'in', page).orderBy('id', order).execute();
  return rows.map(invoiceFromRow);
}

/** The query's filters; `id` is how the id is written in the keyset condition. */
function filtered(
  db: Db,
  q: InvoiceQuery,
  statuses: readonly InvoiceStatus[] | undefined,
  id: Expression<unknown>,
  scope: RawBuilder<boolean> | null = null,
) {
  let query = db.selectFrom('invoices');
  if (scope !== null) query = query.where(scope);
  if (q.companyId !== undefined) query = query.where('company_id', '=', q.companyId);
  if (q.companyIds !== undefined) query = query.where('company_id', 'in', q.companyIds);
  if (q.environment !== undefined) query = query.where('environment', '=', q.environment);
  if (statuses !== undefined) {
    query = statuses.length === 1 ? query.where('status', '=', statuses[0]!) : query.where('status', 'in', statuses);
  }
  if (q.series !== undefined) query = query.where('series', '=', q.series);
  if (q.number !== undefined) query = query.where('number', '=', q.number);
  if (q.from !== undefined) query = query.where('created_at', '>=', millis(q.from));
  if (q.to !== undefined) query = query.where('created_at', '<=', millis(q.to));
  if (q.afterId !== undefined) {
    query = query.where(q.order === 'desc' ? sql<boolean>`${id} < ${q.afterId}` : sql<boolean>`${id} > ${q.afterId}`);
  }
  return query;
}

export async function countByStatus(ctx: StoreContext, companyId?: number): Promise<StatusCount[]> {
  let query = ctx.db
    .selectFrom('invoices')
    .select(['company_id', 'environment', 'status', (eb) => eb.fn.countAll().as('count')])
    .groupBy(['company_id', 'environment', 'status'])
    .orderBy('company_id')
    .orderBy('environment')
    .orderBy('status');
  if (companyId !== undefined) query = query.where('company_id', '=', companyId);
  const rows = await query.execute();
  return rows.map((r) => ({
    companyId: num(r.company_id),
    environment: r.environment,
    status: r.status,
    count: Number(r.count),
  }));
}

export async function listEvents(ctx: StoreContext, invoiceId: number): Promise<InvoiceEvent[]> {
  const rows = await ctx.db
    .selectFrom('invoice_events')
    .selectAll()
    .where('invoice_id', '=', invoiceId)
    .orderBy('id')
    .execute();
  return rows.map(eventFromRow);
}

const UPLOAD_ID_CHUNK = 500;

/** Invoices a platform answer names by upload id; looked up in chunks to bound the statement. */
export async function findByUploadIds(
  ctx: StoreContext,
  companyId: number,
  environment: Environment,
  uploadIds: readonly string[],
): Promise<Invoice[]> {
  const unique = [...new Set(uploadIds)];
  const out: Invoice[] = [];
  for (let i = 0; i < unique.length; i += UPLOAD_ID_CHUNK) {
    const rows = await ctx.db
      .selectFrom('invoices')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('environment', '=', environment)
      .where('upload_id', 'in', unique.slice(i, i + UPLOAD_ID_CHUNK))
      .orderBy('id')
      .execute();
    out.push(...rows.map(invoiceFromRow));
  }
  return out.sort((a, b) => a.id - b.id);
}
