/**
 * Failed sign-ins per client in the store (migration 0011), shared by every instance. Counting
 * is ONE upsert that either starts a new window or adds one to the current, so two instances
 * counting the same client at the same moment both count, on SQLite and PostgreSQL alike.
 */
import { sql } from 'kysely';
import type { SignInFailures } from '../../ports/store.js';
import type { StoreContext } from './context.js';
import { millis } from './rows.js';

export async function recordSignInFailure(ctx: StoreContext, client: string, at: Date, windowMs: number): Promise<SignInFailures> {
  const now = millis(at);
  const end = now + windowMs;
  const row = await ctx.db
    .insertInto('sign_in_failures')
    .values({ client, failures: 1, window_end: end })
    .onConflict((oc) =>
      oc.column('client').doUpdateSet({
        // Both expressions see the row as it was: a window over starts again at one failure.
        failures: sql<number>`case when sign_in_failures.window_end <= ${now} then 1 else sign_in_failures.failures + 1 end`,
        window_end: sql<number>`case when sign_in_failures.window_end <= ${now} then ${end} else sign_in_failures.window_end end`,
      }),
    )
    .returning(['failures', 'window_end'])
    .executeTakeFirstOrThrow();
  return { count: Number(row.failures), windowEndsAt: new Date(Number(row.window_end)) };
}

export async function signInFailures(ctx: StoreContext, client: string, at: Date): Promise<SignInFailures | null> {
  const row = await ctx.db
    .selectFrom('sign_in_failures')
    .select(['failures', 'window_end'])
    .where('client', '=', client)
    .where('window_end', '>', millis(at))
    .executeTakeFirst();
  return row === undefined ? null : { count: Number(row.failures), windowEndsAt: new Date(Number(row.window_end)) };
}

export async function purgeSignInFailures(ctx: StoreContext, at: Date): Promise<number> {
  const r = await ctx.db.deleteFrom('sign_in_failures').where('window_end', '<=', millis(at)).executeTakeFirst();
  return Number(r.numDeletedRows);
}
