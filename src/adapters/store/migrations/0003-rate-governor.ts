import type { Kysely, Migration } from 'kysely';

/**
 * The shared rate governor's state (PostgreSQL only: a SQLite instance is alone and keeps its
 * governor in memory). Times are epoch milliseconds.
 * - governor_minute: calls granted per budget (credentials) and clock minute; instances lease
 *   small slices of it, never more than the minute's limit in all.
 * - governor_daily: ANAF's daily quotas per platform, ANAF day (Bucharest) and scope
 *   (per message: status/download; per CUI: list, paginated list, RASP uploads).
 * - governor_pause: scopes the platform itself answered with a quota message, until a time.
 */
export function rateGovernorSchema(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('governor_minute')
        .addColumn('budget_key', 'text', (c) => c.notNull())
        .addColumn('minute', 'bigint', (c) => c.notNull())
        .addColumn('used', 'integer', (c) => c.notNull())
        .addColumn('last_grant', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('governor_minute_pk', ['budget_key', 'minute'])
        .execute();
      await db.schema
        .createTable('governor_daily')
        .addColumn('platform_key', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('scope_key', 'text', (c) => c.notNull())
        .addColumn('used', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('governor_daily_pk', ['platform_key', 'day', 'scope_key'])
        .execute();
      await db.schema
        .createTable('governor_pause')
        .addColumn('key_space', 'text', (c) => c.notNull())
        .addColumn('scope_key', 'text', (c) => c.notNull())
        .addColumn('until_ms', 'bigint', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('reported_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('governor_pause_pk', ['key_space', 'scope_key'])
        .execute();
    },
  };
}
