import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Companies managed at run time, API keys and remembered POST answers:
 * - companies gain the name of their OAuth profile (the profile itself lives with the OAuth work)
 *   and `removed_at`: a removed company is kept with its invoices and archive, only no longer worked;
 * - api_keys holds the SHA-256 of each key, never the key (it is shown once, at creation);
 * - idempotency_keys remembers the first answer to a POST carrying an Idempotency-Key for 24 h.
 */
export function accessSchema(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('companies').addColumn('oauth_profile', 'text').execute();
      await db.schema.alterTable('companies').addColumn('removed_at', 'bigint').execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', t.idType, t.id)
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        // JSON array of CIFs, or null for every company
        .addColumn('companies', 'text')
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        // the first characters of the key, so a person can tell keys apart without the secret
        .addColumn('key_prefix', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .execute();

      await db.schema
        .createTable('idempotency_keys')
        .addColumn('principal', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        // null while the first request is still being answered
        .addColumn('status', 'integer')
        .addColumn('content_type', 'text')
        .addColumn('location', 'text')
        .addColumn('body', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pkey', ['principal', 'key'])
        .execute();
      await db.schema.createIndex('idempotency_keys_expiry_idx').on('idempotency_keys').columns(['expires_at']).execute();
    },
  };
}
