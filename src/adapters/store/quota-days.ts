/**
 * ANAF's daily quota counts in the store's `governor_daily` table, for a governor that keeps
 * its counts in memory (one SQLite instance): loaded at start, written as they grow, so a
 * restart does not forget what the ANAF day has already spent. The table and its keys are the
 * PostgreSQL governor's (platform, ANAF day, scope from quota-rules.ts).
 */
import { sql } from 'kysely';
import type { StoreContext } from './context.js';

export async function loadQuotaDay(ctx: StoreContext, platformKey: string, day: string): Promise<Array<{ scopeKey: string; used: number }>> {
  // Days before yesterday are of no use to anyone (yesterday stays for clocks that lag a little).
  await ctx.db.deleteFrom('governor_daily').where('platform_key', '=', platformKey).where('day', '<', previousDay(day)).execute();
  const rows = await ctx.db
    .selectFrom('governor_daily')
    .select(['scope_key', 'used'])
    .where('platform_key', '=', platformKey)
    .where('day', '=', day)
    .execute();
  return rows.map((r) => ({ scopeKey: r.scope_key, used: Number(r.used) }));
}

/** Records that `used` calls of the scope were spent that day; a count never goes down. */
export async function saveQuotaCount(ctx: StoreContext, platformKey: string, day: string, scopeKey: string, used: number): Promise<void> {
  await ctx.db
    .insertInto('governor_daily')
    .values({ platform_key: platformKey, day, scope_key: scopeKey, used })
    .onConflict((oc) =>
      oc.columns(['platform_key', 'day', 'scope_key']).doUpdateSet({
        used: sql<number>`case when excluded.used > governor_daily.used then excluded.used else governor_daily.used end`,
      }),
    )
    .execute();
}

/** The ANAF day before `day` (YYYY-MM-DD), as text that sorts like the day. */
function previousDay(day: string): string {
  const t = Date.parse(`${day}T12:00:00Z`);
  return Number.isNaN(t) ? day : new Date(t - 86_400_000).toISOString().slice(0, 10);
}
