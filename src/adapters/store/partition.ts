/**
 * Partition filters in claims: which queued invoices this handle may take.
 * - A registered instance with a filter takes only invoices its filter matches.
 * - Any other handle (an instance without a filter, the CLI) takes only what no *live* filtered
 *   instance covers; the live filters are read from the registry inside the claim's transaction,
 *   so a filtered instance that stops or whose lease runs out hands its share back at once.
 * Filters overlapping is harmless: row locks (SKIP LOCKED) still give each invoice to one claimer.
 * - A company's own filter, when it has one, narrows every handle's upload claims for that
 *   company: its invoices outside it are not sent by this installation (they wait, `queued`).
 *
 * Filters are compiled by the partition-filter language: the SQL text comes from the tree's
 * shape and fixed column names only; every value of the filter is a bound parameter.
 */
import { sql, type RawBuilder } from 'kysely';
import { compileToSql, parsePartitionFilter, type CompiledFilter, type PartitionColumns } from '../../domain/partition-filter/index.js';
import type { Db, StoreContext } from './context.js';
import { liveFilters } from './registry.js';

/** Where the filter's fields live in the invoices table. */
export const PARTITION_COLUMNS: PartitionColumns = {
  user: 'origin_user',
  branch: 'origin_branch',
  number: 'number',
  series: 'series',
};

/**
 * The compiler writes a placeholder per value; this marker cannot occur in its SQL text (made
 * of column names and keywords only), so splitting on it puts every value back as a Kysely
 * parameter, numbered by Kysely for the dialect at hand.
 */
const MARK = '\u0000';
const CACHE_LIMIT = 256;
const compiled = new Map<string, CompiledFilter | null>();

function compileText(text: string): CompiledFilter | null {
  if (compiled.has(text)) return compiled.get(text)!;
  let result: CompiledFilter | null;
  try {
    result = compileToSql(parsePartitionFilter(text), PARTITION_COLUMNS, () => MARK);
  } catch {
    // Only a row written by another version could hold a filter this one cannot read; ignoring
    // it means overlapping with that instance, which row locks make harmless.
    result = null;
  }
  if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value!);
  compiled.set(text, result);
  return result;
}

/** The filter as a boolean SQL expression with bound values, or null when it cannot be read. */
export function filterCondition(text: string): RawBuilder<boolean> | null {
  const c = compileText(text);
  if (c === null) return null;
  const parts = c.sql.split(MARK);
  const pieces: Array<RawBuilder<unknown>> = [];
  parts.forEach((part, i) => {
    pieces.push(sql.raw(part));
    if (i < c.params.length) pieces.push(sql`${c.params[i]}`);
  });
  return sql<boolean>`(${sql.join(pieces, sql``)})`;
}

/** The condition narrowing this handle's share of the queue, or null for "every invoice". */
async function instanceScope(db: Db, ctx: StoreContext): Promise<RawBuilder<boolean> | null> {
  const session = ctx.session;
  if (session !== null && session.filter !== null) return filterCondition(session.filter);
  const covered = (await liveFilters(db, ctx, session?.serverId ?? null)).flatMap((f) => filterCondition(f) ?? []);
  if (covered.length === 0) return null;
  return sql<boolean>`not (${sql.join(covered, sql` or `)})`;
}

/** The company's own filter (companies.partition_filter), read in the caller's transaction. */
async function companyScope(db: Db, companyId: number): Promise<RawBuilder<boolean> | null> {
  const row = await db.selectFrom('companies').select('partition_filter').where('id', '=', companyId).executeTakeFirst();
  const text = row?.partition_filter?.trim();
  return text ? filterCondition(text) : null;
}

/**
 * The condition narrowing this handle's claims, or null for "every queued invoice". With a
 * company, its own filter (the manuals' per-company FiltruSQL) narrows the claims of every
 * instance further: the work of company × instance is what both filters match.
 */
export async function claimScope(db: Db, ctx: StoreContext, companyId?: number): Promise<RawBuilder<boolean> | null> {
  const mine = await instanceScope(db, ctx);
  const company = companyId === undefined ? null : await companyScope(db, companyId);
  if (company === null) return mine;
  if (mine === null) return company;
  return sql<boolean>`(${company} and ${mine})`;
}
