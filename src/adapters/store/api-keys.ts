import type { Selectable } from 'kysely';
import type { ApiKey, Role } from '../../domain/access.js';
import { EfactError } from '../../domain/errors.js';
import type { NewApiKey } from '../../ports/store.js';
import type { StoreContext } from './context.js';
import { date, dateOrNull, millis, num } from './rows.js';
import type { ApiKeysTable } from './schema.js';

function keyFromRow(r: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: num(r.id),
    name: r.name,
    role: r.role as Role,
    companies: r.companies === null ? null : (JSON.parse(r.companies) as string[]),
    prefix: r.key_prefix,
    createdAt: date(r.created_at),
    lastUsedAt: dateOrNull(r.last_used_at),
    revokedAt: dateOrNull(r.revoked_at),
  };
}

export async function createApiKey(ctx: StoreContext, input: NewApiKey): Promise<ApiKey> {
  const taken = await ctx.db.selectFrom('api_keys').select('id').where('name', '=', input.name).executeTakeFirst();
  if (taken !== undefined) {
    throw new EfactError('CONFLICT', `an API key named "${input.name}" already exists; choose another name or revoke that one`, {
      details: { name: input.name },
    });
  }
  const row = await ctx.db
    .insertInto('api_keys')
    .values({
      name: input.name,
      role: input.role,
      companies: input.companies === null ? null : JSON.stringify(input.companies),
      key_hash: input.hash,
      key_prefix: input.prefix,
      created_at: millis(ctx.now()),
      last_used_at: null,
      revoked_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return keyFromRow(row);
}

export async function listApiKeys(ctx: StoreContext): Promise<ApiKey[]> {
  const rows = await ctx.db.selectFrom('api_keys').selectAll().orderBy('id').execute();
  return rows.map(keyFromRow);
}

/**
 * Finds a key by its hash. The last-use time is written at most once a minute per key, so that a
 * busy ERP does not turn every read into a write.
 */
export async function findApiKeyByHash(ctx: StoreContext, hash: string, usedAt?: Date): Promise<ApiKey | null> {
  const row = await ctx.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
  if (row === undefined) return null;
  const key = keyFromRow(row);
  if (usedAt !== undefined && key.revokedAt === null && (key.lastUsedAt === null || usedAt.getTime() - key.lastUsedAt.getTime() >= 60_000)) {
    await ctx.db.updateTable('api_keys').set({ last_used_at: millis(usedAt) }).where('id', '=', key.id).execute();
    key.lastUsedAt = usedAt;
  }
  return key;
}

export async function revokeApiKey(ctx: StoreContext, idOrName: number | string, at: Date): Promise<ApiKey | null> {
  const find = () => {
    const q = ctx.db.selectFrom('api_keys').selectAll();
    return (typeof idOrName === 'number' ? q.where('id', '=', idOrName) : q.where('name', '=', idOrName)).executeTakeFirst();
  };
  const row = await find();
  if (row === undefined) return null;
  if (row.revoked_at === null) {
    await ctx.db.updateTable('api_keys').set({ revoked_at: millis(at) }).where('id', '=', num(row.id)).execute();
  }
  const after = await find();
  return after === undefined ? null : keyFromRow(after);
}

export async function hasApiKeys(ctx: StoreContext): Promise<boolean> {
  const row = await ctx.db.selectFrom('api_keys').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}
