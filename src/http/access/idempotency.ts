/**
 * `Idempotency-Key` on POST: the first answer (status and body) is remembered in the store for
 * 24 h per caller and key; a repeat of the same request gets that answer again without anything
 * being done again, a different request under the same key is refused (422), and a repeat that
 * arrives while the first is still being answered is told to wait (409). A server failure (5xx)
 * or an answer with Retry-After (e.g. a correction waiting for ANAF's answer on the earlier file)
 * is not remembered: the retry acts.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EfactError } from '../../domain/errors.js';
import type { Store } from '../../ports/store.js';

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const PURGE_EVERY_MS = 10 * 60_000;

const claimed = new WeakMap<FastifyRequest, { principal: string; key: string }>();

function requestHash(request: FastifyRequest): string {
  const h = createHash('sha256').update(`${request.method} ${request.url}\n`);
  const body = request.body;
  if (Buffer.isBuffer(body)) h.update(body);
  else if (body !== undefined) h.update(JSON.stringify(body));
  return h.digest('hex');
}

export function installIdempotency(app: FastifyInstance, options: { store: Store; now?: () => Date }): void {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  let lastPurge = 0;

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.config?.access === undefined) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    const key = Array.isArray(header) ? header[0] ?? '' : header;
    if (!KEY_PATTERN.test(key)) {
      throw new EfactError('INVALID_REQUEST', 'invalid header "Idempotency-Key": 1 to 200 visible ASCII characters (a UUID is a good choice)', {
        details: { in: 'headers', field: 'idempotency-key' },
      });
    }
    const at = now();
    if (at.getTime() - lastPurge >= PURGE_EVERY_MS) {
      lastPurge = at.getTime();
      await store.purgeIdempotencyKeys(at);
    }
    const principal = request.principal?.id ?? `ip:${request.ip}`;
    const hash = requestHash(request);
    const claim = await store.claimIdempotencyKey({
      principal,
      key,
      requestHash: hash,
      method: request.method,
      path: request.url,
      createdAt: at,
      expiresAt: new Date(at.getTime() + IDEMPOTENCY_TTL_MS),
    });
    if (claim.kind === 'claimed') {
      claimed.set(request, { principal, key });
      return;
    }
    const first = claim.record;
    if (first.requestHash !== hash) {
      throw new EfactError(
        'IDEMPOTENCY_MISMATCH',
        `Idempotency-Key "${key}" was already used at ${first.createdAt.toISOString()} for another request (${first.method} ${first.path.split('?')[0]} with a different body or query); a different request needs a new key`,
        { details: { key, firstUsedAt: first.createdAt.toISOString() } },
      );
    }
    if (first.status === null) {
      reply.header('retry-after', '1');
      throw new EfactError('CONFLICT', `a request with Idempotency-Key "${key}" is still being answered; repeat it in a moment`, { details: { key } });
    }
    reply.code(first.status).header('idempotent-replayed', 'true');
    if (first.contentType !== null) reply.type(first.contentType);
    if (first.location !== null) reply.header('location', first.location);
    return reply.send(first.body ?? '');
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const mine = claimed.get(request);
    if (mine === undefined) return payload;
    claimed.delete(request);
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    // A server failure, or an answer saying when to try again (Retry-After), is not the answer
    // to keep: the retry must act.
    if (reply.statusCode >= 500 || reply.hasHeader('retry-after') || body === null) {
      await store.releaseIdempotencyKey(mine.principal, mine.key);
      return payload;
    }
    if (request.routeOptions.config?.secretAnswer === true && reply.statusCode < 300) {
      const error = new EfactError(
        'CONFLICT',
        `the first request with Idempotency-Key "${mine.key}" succeeded (${reply.statusCode}); its answer held a secret that is shown only once, so it is not repeated`,
        { details: { key: mine.key, firstStatus: reply.statusCode } },
      );
      await store.completeIdempotencyKey(mine.principal, mine.key, {
        status: 409,
        contentType: 'application/json; charset=utf-8',
        location: null,
        body: JSON.stringify({ error: error.toJSON() }),
      });
      return payload;
    }
    const contentType = reply.getHeader('content-type');
    const location = reply.getHeader('location');
    await store.completeIdempotencyKey(mine.principal, mine.key, {
      status: reply.statusCode,
      contentType: contentType === undefined ? null : String(contentType),
      location: location === undefined ? null : String(location),
      body,
    });
    return payload;
  });
}
