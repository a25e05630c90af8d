import type { StoreContext } from './context.js';
import { millis } from './rows.js';

/** The engine's small durable key/value state (list watermarks, idle back-off). */
export async function getState(ctx: StoreContext, key: string): Promise<string | null> {
  const row = await ctx.db.selectFrom('engine_state').select('value').where('key', '=', key).executeTakeFirst();
  return row === undefined ? null : row.value;
}

export async function setState(ctx: StoreContext, key: string, value: string): Promise<void> {
  const at = millis(ctx.now());
  await ctx.db
    .insertInto('engine_state')
    .values({ key, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
    .execute();
}

export async function deleteStateBefore(ctx: StoreContext, prefix: string, before: Date): Promise<number> {
  // The prefix is matched as text, not as a LIKE pattern: '%' and '_' in it mean themselves.
  const result = await ctx.db
    .deleteFrom('engine_state')
    .where((eb) => eb(eb.fn('substr', ['key', eb.lit(1), eb.lit(prefix.length)]), '=', prefix))
    .where('updated_at', '<', millis(before))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
