import type { Kysely, Migration } from 'kysely';

/**
 * Failed sign-ins (requests with a wrong API key) per client address, counted in the store so
 * that every instance behind one balancer counts against the same limit: one row per client
 * holding its current fixed window (`window_end`) and the failures seen in it. Rows whose window
 * has ended are worth nothing and are purged now and then.
 */
export const signInFailuresSchema: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('sign_in_failures')
      .addColumn('client', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('window_end', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sign_in_failures_window_idx').on('sign_in_failures').columns(['window_end']).execute();
  },
};
