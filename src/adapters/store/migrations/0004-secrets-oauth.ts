import type { Kysely, Migration } from 'kysely';

/**
 * The secrets vault and ANAF OAuth profiles. Every secret value in these tables is an
 * AES-256-GCM envelope (src/secrets/envelope.ts), never clear text:
 * - `vault_keys`: which master key is active (by key id, a fingerprint; never the key itself),
 *   so that a token written during `efact keys rotate` cannot land under a retired key;
 * - `secrets`: named secrets (OAuth client secrets, partner keys, certificate passwords);
 * - `oauth_profiles`: one ANAF OAuth client (client id, redirect URI) and its token pair,
 *   the pair in two envelope columns of the same row so that a refresh persists both in one
 *   statement, compare-and-set on `token_version`; `refresh_owner`/`refresh_until` is the
 *   lease that lets one instance at a time spend the refresh token;
 * - `oauth_logins`: authorization-code logins waiting for their callback (by `state`).
 */
export function secretsOAuthSchema(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('vault_keys')
        .addColumn('key_id', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('retired_at', 'bigint')
        .execute();

      await db.schema
        .createTable('secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('envelope', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('oauth_profiles')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('access_token', 'text')
        .addColumn('refresh_token', 'text')
        .addColumn('key_id', 'text')
        .addColumn('access_expires_at', 'bigint')
        .addColumn('refresh_expires_at', 'bigint')
        .addColumn('obtained_at', 'bigint')
        .addColumn('refreshed_at', 'bigint')
        .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('refresh_owner', 'text')
        .addColumn('refresh_until', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('oauth_logins')
        .addColumn('state', 'text', (c) => c.primaryKey())
        .addColumn('profile', 'text', (c) => c.notNull())
        .addColumn('company_cif', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('completed_at', 'bigint')
        .addColumn('outcome', 'text')
        .addColumn('message', 'text')
        .execute();
    },
  };
}
