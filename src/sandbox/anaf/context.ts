/**
 * Everything the sandbox's routes share, and the small helpers they answer with.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../ports/clock.js';
import type { SandboxCounters } from './counters.js';
import type { DecideFn } from './decision.js';
import type { FaultConfig, UploadHang } from './faults.js';
import type { QuotaBook } from './quotas.js';
import { generalError, HTTP_REASON } from './responses.js';
import type { Rng } from './rng.js';
import type { SandboxSigner } from './signature.js';
import type { PlatformState } from './state.js';
import type { Rights, TokenBook } from './tokens.js';

export interface SandboxContext {
  clock: Clock;
  state: PlatformState;
  quotas: QuotaBook;
  counters: SandboxCounters;
  faults: FaultConfig;
  hangs: UploadHang[];
  rng: Rng;
  signer: SandboxSigner;
  decide: DecideFn;
  processingDelayMs: number;
  tokens: TokenBook;
  /** CIFs in "Registrul RO e-Factura executari silite" (may upload with executare=DA). */
  enforcementCifs: Set<string>;
  /** The `serial` of list answers (the caller's certificate serial at ANAF). */
  serial: string;
  /** HTTP status of the paginated list's error answers. */
  pagedListErrorStatus: 200 | 400;
  /** Aborted when the sandbox closes: ends hung answers and latency waits. */
  closing: AbortSignal;
}

/** The sandbox clock's now, with every verdict due by then revealed. */
export function settledNow(ctx: SandboxContext): Date {
  const now = ctx.clock.now();
  ctx.state.settle(now.getTime());
  return now;
}

export function sendXml(reply: FastifyReply, body: string): FastifyReply {
  return reply.code(200).type('application/xml').send(body);
}

export function sendJson(reply: FastifyReply, body: unknown, status = 200): FastifyReply {
  return reply.code(status).type('application/json').send(JSON.stringify(body));
}

/** ANAF's Spring-style error (HTTP 400 for missing parameters, 429, 500). */
export function sendGeneralError(ctx: SandboxContext, reply: FastifyReply, status: number, message: string): FastifyReply {
  return sendJson(reply, generalError(ctx.clock.now(), status, HTTP_REASON[status] ?? 'Error', message), status);
}

/** The bearer's rights, or a 401 already sent (null). */
export function authenticate(ctx: SandboxContext, request: FastifyRequest, reply: FastifyReply): Rights | null {
  const rights = ctx.tokens.rightsOf(request.headers.authorization, ctx.clock.now().getTime());
  if (rights === null) {
    void reply.header('www-authenticate', 'Bearer realm="anaf"');
    void sendGeneralError(ctx, reply, 401, 'Full authentication is required to access this resource');
  }
  return rights;
}

export type Query = Record<string, string | undefined>;

/** Query parameters as strings (a repeated parameter counts by its first value). */
export function queryOf(request: FastifyRequest): Query {
  const out: Query = {};
  for (const [k, v] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    out[k] = Array.isArray(v) ? String(v[0]) : v === undefined ? undefined : String(v);
  }
  return out;
}

/** Only an absent parameter is missing; a blank one is a value, and fails its own check. */
export function isMissing(v: string | undefined): v is undefined {
  return v === undefined;
}

export function isDigits(v: string): boolean {
  return /^\d+$/.test(v);
}
