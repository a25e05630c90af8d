import type { Kysely, Migration } from 'kysely';

/**
 * The server registry: one row per serverId. Rows outlive their instance (a clean stop only
 * marks `stopped_at`) so `efact servers` can show what ran recently; `efact servers sync`
 * removes the stale ones. The fencing token comes from a counter in engine_state, so it keeps
 * growing even when rows are removed.
 */
export function serverRegistry(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('servers')
        .addColumn('server_id', 'integer', (c) => c.primaryKey())
        .addColumn('fencing_token', 'bigint', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('filter', 'text')
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
        .addColumn('lease_until', 'bigint', (c) => c.notNull())
        .addColumn('stopped_at', 'bigint')
        .addColumn('claimed', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('uploaded', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  };
}
