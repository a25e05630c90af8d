import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * - company_leases: which instance does a company-wide chore (listing its messages) for now;
 *   one row per chore and company, taken over by another instance once `lease_until` passes.
 * - governor_daily on SQLite: ANAF's daily quotas (per message, per CUI) counted per ANAF day,
 *   so a restarted single instance remembers what it already spent. PostgreSQL has had the
 *   same table since 0003 (shared by its instances); the shape is the same on purpose.
 */
export function leasesQuotaDaysSchema(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('company_leases')
        .addColumn('name', 'text', (c) => c.notNull().primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('lease_until', 'bigint', (c) => c.notNull())
        .addColumn('taken_at', 'bigint', (c) => c.notNull())
        .execute();
      if (dialect === 'sqlite') {
        await db.schema
          .createTable('governor_daily')
          .addColumn('platform_key', 'text', (c) => c.notNull())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('scope_key', 'text', (c) => c.notNull())
          .addColumn('used', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('governor_daily_pk', ['platform_key', 'day', 'scope_key'])
          .execute();
      }
    },
  };
}
