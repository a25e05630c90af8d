/**
 * Access control of the API: who the caller is (API key, or the open local mode), whether its
 * role allows the route, whether its company scope reaches the addressed resource; failed
 * sign-ins throttled per client IP; identical GETs repeated in a tight loop throttled per caller.
 *
 * Failed sign-ins are counted in the store (migration 0011), so instances behind one balancer
 * count them together: a guesser spreading its tries over the instances gains nothing. The loop
 * throttle stays in each instance's memory: it guards against a misbehaving ERP, not an
 * attacker, and sharing it would cost a store write on every GET. Behind a reverse proxy the
 * client address is right only with `http.trustProxy` (request.ip is then X-Forwarded-For's).
 *
 * Open local mode: while no API key exists (and `http.auth` is not `required`) every request acts
 * as a local admin, as before access control existed; the server then listens on 127.0.0.1 only
 * (runtime.ts refuses anything else). Once a key exists, every route but the public ones needs one.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions, preValidationHookHandler } from 'fastify';
import { LOCAL_PRINCIPAL, inScope, principalOf as principalOfKey, roleAllows, type Principal } from '../../domain/access.js';
import { EfactError } from '../../domain/errors.js';
import type { Store } from '../../ports/store.js';
import { hashApiKey, looksLikeApiKey } from '../../server/api-keys.js';
import type { AccessRegistry } from './registry.js';
import type { TenantResolver } from './route-access.js';

export interface AccessOptions {
  /** 'auto': keys needed once any exists; 'required': always (config `http.auth`). */
  mode: 'auto' | 'required';
  /** Failed sign-ins (bad keys) allowed per client IP in the window before 429. */
  signInLimit: { max: number; windowSeconds: number };
  /** Identical GETs (same caller, same URL) allowed in the window before 429. */
  repeatLimit: { max: number; windowSeconds: number };
}

export const DEFAULT_ACCESS: AccessOptions = {
  mode: 'auto',
  signInLimit: { max: 10, windowSeconds: 300 },
  repeatLimit: { max: 60, windowSeconds: 60 },
};

const BEARER = /^Bearer\s+(\S+)\s*$/i;
/** Windows that are over are deleted this often (per instance). */
const PURGE_EVERY_MS = 10 * 60_000;

/** The key a request presents: `Authorization: Bearer <key>` or `X-API-Key: <key>`; '' for a malformed one. */
export function presentedKey(request: FastifyRequest): string | null {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && auth !== '') return BEARER.exec(auth)?.[1] ?? '';
  const header = request.headers['x-api-key'];
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && value !== '' ? value.trim() : null;
}

function unauthorized(reply: FastifyReply, message: string): EfactError {
  reply.header('www-authenticate', 'Bearer realm="efact"');
  return new EfactError('UNAUTHORIZED', message);
}

function tooMany(reply: FastifyReply, seconds: number, message: string): EfactError {
  const after = Math.max(1, seconds);
  reply.header('retry-after', String(after));
  return new EfactError('TOO_MANY_REQUESTS', `${message}; try again in ${after} s`, { details: { retryAfterSeconds: after } });
}

function tenantHook(rule: TenantResolver, store: Store): preValidationHookHandler {
  return async function checkTenant(request) {
    const principal = request.principal;
    if (principal === null) return;
    const cif = await rule.resolve(request, store);
    // Not there at all: the route answers for itself. There but not the caller's: the same 404.
    if (cif !== null && !inScope(principal, cif)) throw rule.notFound(request);
  };
}

function asArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export async function installAccessControl(
  app: FastifyInstance,
  options: { store: Store; access: AccessOptions; registry: AccessRegistry; prefix: string; now?: () => Date },
): Promise<void> {
  const { store, access, registry, prefix } = options;
  const now = options.now ?? (() => new Date());
  await app.register(rateLimit, { global: false });
  const signInWindowMs = access.signInLimit.windowSeconds * 1000;
  let lastPurge = 0;
  const repeats = app.createRateLimit({
    max: access.repeatLimit.max,
    timeWindow: access.repeatLimit.windowSeconds * 1000,
    keyGenerator: (req) => `repeat|${req.principal?.id ?? `ip:${req.ip}`}|${req.url}`,
  });

  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith(prefix)) return;
    const declared = route.config?.access;
    if (declared === undefined) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access; add config.access (see src/http/access/route-access.ts)`);
    }
    for (const method of asArray(route.method)) registry.record(method, route.url, declared);
    if (typeof declared.tenant === 'object') {
      route.preValidation = [tenantHook(declared.tenant, store), ...asArray(route.preValidation)];
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const declared = request.routeOptions.config?.access;
    if (declared === undefined) return; // no such route: the 404 handler answers
    if (declared.tenant === 'public') return;
    const principal = await authenticate(request, reply);
    request.principal = principal;
    const method = request.method.toUpperCase();
    if (principal.role === 'viewer' && method !== 'GET' && method !== 'HEAD') {
      throw new EfactError('FORBIDDEN', `the key "${principal.name}" is a viewer key: it may only read (GET); ${method} needs an operator or admin key`, {
        details: { role: principal.role, needed: declared.role },
      });
    }
    if (!roleAllows(principal.role, declared.role)) {
      throw new EfactError('FORBIDDEN', `this needs the ${declared.role} role; the key "${principal.name}" has the ${principal.role} role`, {
        details: { role: principal.role, needed: declared.role },
      });
    }
    if (declared.tenant === 'all' && principal.companies !== null) {
      throw new EfactError('FORBIDDEN', `this needs a key for all companies; the key "${principal.name}" is limited to ${[...principal.companies].join(', ')}`, {
        details: { companies: [...principal.companies] },
      });
    }
  });

  // After validation, so that a refused or malformed request does not count as a repeat.
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'GET' || request.routeOptions.config?.access === undefined) return;
    const state = await repeats(request);
    if (!state.isAllowed && state.isExceeded) {
      throw tooMany(
        reply,
        state.ttlInSeconds,
        `the same request (GET ${request.url.split('?')[0]}) was repeated more than ${state.max} times in ${access.repeatLimit.windowSeconds} s; a client asking in a loop is slowed down`,
      );
    }
  });

  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
    const presented = presentedKey(request);
    if (presented === null) {
      if (access.mode === 'required' || (await store.hasApiKeys())) {
        throw unauthorized(reply, 'this API needs a key: send "Authorization: Bearer <key>" or "X-API-Key: <key>" (an admin creates keys with: efact apikey create)');
      }
      return LOCAL_PRINCIPAL;
    }
    // A client that keeps presenting wrong keys is stopped before its next guess is even looked at.
    const client = `ip:${request.ip}`;
    const at = now();
    const seen = await store.signInFailures(client, at);
    if (seen !== null && seen.count >= access.signInLimit.max) {
      throw tooMany(reply, Math.ceil((seen.windowEndsAt.getTime() - at.getTime()) / 1000), `too many requests with a wrong API key from ${request.ip}`);
    }
    const key = looksLikeApiKey(presented) ? await store.findApiKeyByHash(hashApiKey(presented), at) : null;
    if (key === null || key.revokedAt !== null) {
      await store.recordSignInFailure(client, at, signInWindowMs);
      if (at.getTime() - lastPurge >= PURGE_EVERY_MS) {
        lastPurge = at.getTime();
        await store.purgeSignInFailures(at);
      }
      const why = presented === '' ? 'the Authorization header is not "Bearer <key>"' : key === null ? 'the API key is not known' : `the API key "${key.name}" was revoked`;
      throw unauthorized(reply, `${why}; send a valid key as "Authorization: Bearer <key>" or "X-API-Key: <key>"`);
    }
    return principalOfKey(key);
  }
}
