/**
 * Per-company leases (migration 0009): a company-wide chore that must not be repeated by every
 * instance (listing the company's messages) is done by whoever holds its lease. The holder
 * renews it on each pass; another instance takes it over once it has run out (the holder died
 * or stopped). One upsert decides, so two instances asking at once never both get it.
 */
import { sql } from 'kysely';
import type { StoreContext } from './context.js';
import { assertNotFenced, fenceWrite } from './registry.js';
import { millis } from './rows.js';

/** Takes or renews the lease `name` for `holder`; false while another holder's lease runs. */
export async function takeCompanyLease(ctx: StoreContext, name: string, holder: string, leaseMs: number): Promise<boolean> {
  assertNotFenced(ctx);
  const at = millis(ctx.now());
  const until = at + Math.max(1, Math.ceil(leaseMs));
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('company_leases')
      .values({ name, holder, lease_until: until, taken_at: at })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({
            holder,
            lease_until: until,
            taken_at: sql<number>`case when company_leases.holder = ${holder} then company_leases.taken_at else ${at} end`,
          })
          .where((eb) => eb.or([eb('company_leases.holder', '=', holder), eb('company_leases.lease_until', '<=', at)])),
      )
      .returning('holder')
      .executeTakeFirst();
    if (row === undefined) return false;
    // A fenced instance holds nothing: the lease write rolls back.
    await fenceWrite(trx, ctx);
    return true;
  });
}

/** Gives the lease up (a stopping instance), so another takes the chore over at once. */
export async function releaseCompanyLease(ctx: StoreContext, name: string, holder: string): Promise<void> {
  await ctx.db.deleteFrom('company_leases').where('name', '=', name).where('holder', '=', holder).execute();
}
