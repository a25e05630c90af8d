import type { Selectable } from 'kysely';
import type { IdempotencyClaim, IdempotencyRecord } from '../../ports/store.js';
import type { StoreContext } from './context.js';
import { date, millis } from './rows.js';
import type { IdempotencyKeysTable } from './schema.js';

function recordFromRow(r: Selectable<IdempotencyKeysTable>): IdempotencyRecord {
  return {
    principal: r.principal,
    key: r.key,
    requestHash: r.request_hash,
    method: r.method,
    path: r.path,
    status: r.status === null ? null : Number(r.status),
    contentType: r.content_type,
    location: r.location,
    body: r.body,
    createdAt: date(r.created_at),
    expiresAt: date(r.expires_at),
  };
}

/**
 * Reserves the key with an insert that does nothing on conflict: of two identical requests
 * arriving together exactly one gets `claimed`, on SQLite and PostgreSQL alike.
 */
export async function claimIdempotencyKey(
  ctx: StoreContext,
  r: Pick<IdempotencyRecord, 'principal' | 'key' | 'requestHash' | 'method' | 'path' | 'createdAt' | 'expiresAt'>,
): Promise<IdempotencyClaim> {
  const now = millis(r.createdAt);
  await ctx.db
    .deleteFrom('idempotency_keys')
    .where('principal', '=', r.principal)
    .where('key', '=', r.key)
    .where('expires_at', '<=', now)
    .execute();
  const inserted = await ctx.db
    .insertInto('idempotency_keys')
    .values({
      principal: r.principal,
      key: r.key,
      request_hash: r.requestHash,
      method: r.method,
      path: r.path,
      status: null,
      content_type: null,
      location: null,
      body: null,
      created_at: now,
      expires_at: millis(r.expiresAt),
    })
    .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted !== undefined) return { kind: 'claimed' };
  const row = await ctx.db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('principal', '=', r.principal)
    .where('key', '=', r.key)
    .executeTakeFirst();
  // deleted in between (released by a failed first request): the caller may simply try again
  if (row === undefined) return claimIdempotencyKey(ctx, r);
  return { kind: 'seen', record: recordFromRow(row) };
}

export async function completeIdempotencyKey(
  ctx: StoreContext,
  principal: string,
  key: string,
  answer: Pick<IdempotencyRecord, 'status' | 'contentType' | 'location' | 'body'>,
): Promise<void> {
  await ctx.db
    .updateTable('idempotency_keys')
    .set({ status: answer.status, content_type: answer.contentType, location: answer.location, body: answer.body })
    .where('principal', '=', principal)
    .where('key', '=', key)
    .execute();
}

export async function releaseIdempotencyKey(ctx: StoreContext, principal: string, key: string): Promise<void> {
  await ctx.db.deleteFrom('idempotency_keys').where('principal', '=', principal).where('key', '=', key).execute();
}

export async function purgeIdempotencyKeys(ctx: StoreContext, now: Date): Promise<number> {
  const result = await ctx.db.deleteFrom('idempotency_keys').where('expires_at', '<=', millis(now)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
