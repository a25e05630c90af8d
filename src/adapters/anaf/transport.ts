/**
 * One HTTP exchange with ANAF: fetch with a timeout covering the whole answer, the body read
 * as raw bytes with a size limit, network failures turned into typed errors.
 */
import { EfactError } from '../../domain/errors.js';
import type { AnafEndpoint } from '../../ports/platform.js';
import { anafError } from './classify.js';
import type { AnafAnswer } from './parsers/answer.js';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array | FormData;
  timeoutMs: number;
  maxResponseBytes: number;
}

/** Network error codes that prove the request never left: safe to say nothing reached ANAF. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function networkCode(e: unknown): string | null {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur !== null && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

function isTimeout(e: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) return true;
  return e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
}

function failure(e: unknown, signal: AbortSignal, endpoint: AnafEndpoint, status: number | null): EfactError {
  const origin = { endpoint, httpStatus: status };
  const code = networkCode(e);
  // Whether the request may have reached ANAF: matters for uploads (never upload twice blindly).
  const mayHaveReachedPlatform = status !== null || code === null || !NOT_SENT_CODES.has(code);
  if (isTimeout(e, signal)) {
    return anafError('PLATFORM_TIMEOUT', 'timeout', origin, {
      note: status === null ? 'no answer' : `HTTP ${status}, body not complete`,
      details: { mayHaveReachedPlatform: true },
      cause: e,
    });
  }
  const why = e instanceof Error ? [e.message, (e.cause as Error | undefined)?.message].filter(Boolean).join(': ') : String(e);
  return anafError('PLATFORM_UNAVAILABLE', 'unavailable', origin, {
    note: `connection failed${code ? ` (${code})` : ''}: ${why}`,
    details: { networkCode: code, mayHaveReachedPlatform },
    cause: e,
  });
}

async function readBody(res: Response, limit: number, endpoint: AnafEndpoint): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  const tooLarge = (): EfactError =>
    anafError('PLATFORM_MALFORMED_ANSWER', 'malformed', { endpoint, httpStatus: res.status }, {
      note: `answer larger than ${limit} bytes`,
      details: { limit },
    });
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  // One fresh array holding exactly the bytes received (no pooled buffer behind it).
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Sends one request; resolves with the answer (any status) or throws a retryable EfactError. */
export async function exchange(fetchFn: typeof fetch, req: HttpRequest, endpoint: AnafEndpoint): Promise<AnafAnswer> {
  const signal = AbortSignal.timeout(req.timeoutMs);
  let res: Response;
  try {
    res = await fetchFn(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      signal,
      // The API never redirects; a redirect means a wrong base URL and must not carry the token elsewhere.
      redirect: 'manual',
    });
  } catch (e) {
    throw failure(e, signal, endpoint, null);
  }
  let body: Uint8Array;
  try {
    body = await readBody(res, req.maxResponseBytes, endpoint);
  } catch (e) {
    if (e instanceof EfactError) throw e;
    throw failure(e, signal, endpoint, res.status);
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    body,
    retryAfter: res.headers.get('retry-after'),
    location: res.headers.get('location'),
  };
}
