/**
 * The dashboard's grid: one company's invoices sorted by a column, filtered by equality, paged
 * by keyset. Keyset rather than OFFSET because a page then costs the same at row 20 and at row
 * 900 000 (OFFSET walks and discards every row before the page), and pages stay stable while the
 * engine inserts and moves invoices. Every sortable column has a (company_id, column, id) index
 * (migration 0007), so a page is one index range walk; id breaks ties.
 *
 * NULLs (no upload date, no branch) sort first ascending and last descending on both
 * databases: the NULL rows and the valued rows are read as two segments, each its own index
 * range, so neither database's own NULL ordering matters.
 */
import { sql } from 'kysely';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import type { FeedEvent, GridCursor, GridFilter, GridPage, GridQuery, GridSort } from '../../ports/store.js';
import type { Db, StoreContext } from './context.js';
import { pageLimit } from './dialect.js';
import { eventFromRow, invoiceFromRow, millis, num } from './rows.js';
import type { InvoicesTable } from './schema.js';
import type { Selectable } from 'kysely';

type SortColumn = 'uploaded_at' | 'status' | 'series' | 'number' | 'origin_branch' | 'origin_user';

const COLUMNS: Record<Exclude<GridSort, 'created'>, { column: SortColumn; nullable: boolean }> = {
  uploaded: { column: 'uploaded_at', nullable: true },
  status: { column: 'status', nullable: false },
  series: { column: 'series', nullable: false },
  number: { column: 'number', nullable: false },
  branch: { column: 'origin_branch', nullable: true },
  user: { column: 'origin_user', nullable: true },
};

function filtered(db: Db, f: GridFilter) {
  let q = db.selectFrom('invoices').where('company_id', '=', f.companyId);
  if (f.environment !== undefined) q = q.where('environment', '=', f.environment);
  if (f.status !== undefined) q = f.status.length === 1 ? q.where('status', '=', f.status[0]!) : q.where('status', 'in', f.status);
  if (f.series !== undefined) q = q.where('series', '=', f.series);
  if (f.number !== undefined) q = q.where('number', '=', f.number);
  if (f.branch !== undefined) q = q.where('origin_branch', '=', f.branch);
  if (f.user !== undefined) q = q.where('origin_user', '=', f.user);
  if (f.computer !== undefined) q = q.where('origin_computer', '=', f.computer);
  return q;
}

type Row = Selectable<InvoicesTable>;

function cursorValue(row: Row, sort: GridSort): string | number | null {
  if (sort === 'created') return null;
  const v = row[COLUMNS[sort].column];
  return v === null ? null : typeof v === 'string' ? v : num(v);
}

export async function queryGrid(ctx: StoreContext, q: GridQuery): Promise<GridPage> {
  if (q.limit <= 0 || (q.status !== undefined && q.status.length === 0)) return { items: [], next: null };
  const want = q.limit + 1;
  const rows = q.sort === 'created' ? await byId(ctx.db, q, want) : await byColumn(ctx.db, q, want);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(invoiceFromRow),
    next: rows.length > q.limit && last !== undefined ? { value: cursorValue(last, q.sort), id: num(last.id) } : null,
  };
}

async function byId(db: Db, q: GridQuery, want: number): Promise<Row[]> {
  let query = filtered(db, q);
  if (q.after !== undefined) query = query.where('id', q.dir === 'asc' ? '>' : '<', q.after.id);
  return query.selectAll().orderBy('id', q.dir).limit(pageLimit(want)).execute();
}

async function byColumn(db: Db, q: GridQuery, want: number): Promise<Row[]> {
  const { column, nullable } = COLUMNS[q.sort as Exclude<GridSort, 'created'>];
  const after = q.after;
  const cmp = q.dir === 'asc' ? '>' : '<';
  const valued = (from: GridCursor | undefined) => (limit: number) => {
    let query = filtered(db, q).where(column, 'is not', null);
    if (from !== undefined) {
      query = query.where(sql<boolean>`(${sql.ref(column)}, ${sql.ref('id')}) ${sql.raw(cmp)} (${from.value}, ${from.id})`);
    }
    return query.selectAll().orderBy(column, q.dir).orderBy('id', q.dir).limit(pageLimit(limit)).execute();
  };
  const nulls = (fromId: number | undefined) => (limit: number) => {
    let query = filtered(db, q).where(column, 'is', null);
    if (fromId !== undefined) query = query.where('id', cmp, fromId);
    return query.selectAll().orderBy('id', q.dir).limit(pageLimit(limit)).execute();
  };
  // The segments still ahead of the cursor, in reading order.
  const plan: Array<(limit: number) => Promise<Row[]>> = [];
  if (!nullable) plan.push(valued(after));
  else if (q.dir === 'asc') {
    if (after === undefined) plan.push(nulls(undefined), valued(undefined));
    else if (after.value === null) plan.push(nulls(after.id), valued(undefined));
    else plan.push(valued(after));
  } else {
    if (after === undefined) plan.push(valued(undefined), nulls(undefined));
    else if (after.value === null) plan.push(nulls(after.id));
    else plan.push(valued(after), nulls(undefined));
  }
  const out: Row[] = [];
  for (const segment of plan) {
    if (out.length >= want) break;
    out.push(...(await segment(want - out.length)));
  }
  return out;
}

/** Counts at most `cap` + 1 rows, so the answer costs the same on 10 000 rows and on 10 000 000. */
export async function countGrid(ctx: StoreContext, f: GridFilter, cap: number): Promise<{ count: number; capped: boolean }> {
  if (f.status !== undefined && f.status.length === 0) return { count: 0, capped: false };
  const inner = filtered(ctx.db, f).select(sql<number>`1`.as('one')).limit(pageLimit(cap + 1)).as('t');
  const row = await ctx.db.selectFrom(inner).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const n = Number(row.n);
  return n > cap ? { count: cap, capped: true } : { count: n, capped: false };
}

export async function invoicesPerDay(
  ctx: StoreContext,
  companyId: number | undefined,
  since: Date,
): Promise<Array<{ day: string; status: InvoiceStatus; count: number }>> {
  // The divisor is part of the SQL text, not a parameter: PostgreSQL would see the SELECT's and
  // the GROUP BY's parameters as two different expressions.
  const day = sql<number>`${sql.ref('created_at')} / 86400000`;
  let query = ctx.db
    .selectFrom('invoices')
    .select([day.as('d'), 'status', (eb) => eb.fn.countAll().as('n')])
    .where('created_at', '>=', millis(since))
    .groupBy([day, 'status']);
  if (companyId !== undefined) query = query.where('company_id', '=', companyId);
  const rows = await query.execute();
  return rows
    .map((r) => ({ day: new Date(Number(r.d) * 86_400_000).toISOString().slice(0, 10), status: r.status, count: Number(r.n) }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.status.localeCompare(b.status));
}

export async function callsPerMinute(ctx: StoreContext, since: Date): Promise<Array<{ minute: Date; count: number }>> {
  const minute = sql<number>`${sql.ref('at')} / 60000`;
  const rows = await ctx.db
    .selectFrom('platform_calls')
    .select([minute.as('m'), (eb) => eb.fn.countAll().as('n')])
    .where('at', '>=', millis(since))
    .groupBy(minute)
    .execute();
  return rows.map((r) => ({ minute: new Date(Number(r.m) * 60_000), count: Number(r.n) })).sort((a, b) => a.minute.getTime() - b.minute.getTime());
}

export async function listEventsSince(ctx: StoreContext, afterId: number, limit: number): Promise<FeedEvent[]> {
  const rows = await ctx.db
    .selectFrom('invoice_events as e')
    .innerJoin('invoices as i', 'i.id', 'e.invoice_id')
    .selectAll('e')
    .select('i.company_id')
    .where('e.id', '>', afterId)
    .orderBy('e.id')
    .limit(pageLimit(limit))
    .execute();
  return rows.map((r) => ({ ...eventFromRow(r), companyId: num(r.company_id) }));
}

export async function lastEventId(ctx: StoreContext): Promise<number> {
  const row = await ctx.db.selectFrom('invoice_events').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
  return row?.m === null || row?.m === undefined ? 0 : num(row.m);
}
