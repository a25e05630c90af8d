/**
 * The API's single error boundary. Whatever a route throws leaves as
 * `{ error: { code, kind, message, details? } }` with a stable EFACT_ERR_* code:
 * EfactErrors keep their own code and HTTP status; fastify's request errors (validation, body
 * size, media type, malformed JSON) become INVALID_REQUEST / TOO_LARGE; anything else is a 500
 * whose message says only where to look, since internals (SQL, paths) must not leak.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EfactError, isEfactError } from '../domain/errors.js';
import { DEFAULT_MAX_XML_BYTES } from '../xml/parse.js';
import { XML_CONTENT_TYPES } from './xml-body.js';

export interface MappedError {
  status: number;
  error: EfactError;
  /** Server faults are logged as errors; the caller's mistakes only at info. */
  serverFault: boolean;
}

interface ValidationItem {
  keyword: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const PLACES: Record<string, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  body: 'body field',
  headers: 'header',
};

function fieldOf(item: ValidationItem): string {
  const p = item.params ?? {};
  if (typeof p['missingProperty'] === 'string') return p['missingProperty'];
  if (typeof p['additionalProperty'] === 'string') return p['additionalProperty'];
  const path = (item.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  return path === '' ? '(whole)' : path;
}

function validationError(err: FastifyError): EfactError {
  const items = (err.validation ?? []) as ValidationItem[];
  const first = items[0];
  const place = PLACES[err.validationContext ?? ''] ?? 'field';
  if (first === undefined) return new EfactError('INVALID_REQUEST', `invalid request: ${err.message}`);
  const field = fieldOf(first);
  const why = first.keyword === 'required' ? 'is required' : (first.message ?? 'is invalid');
  const allowed = first.params?.['allowedValues'];
  return new EfactError('INVALID_REQUEST', `invalid ${place} "${field}": ${why}`, {
    details: {
      in: err.validationContext ?? null,
      field,
      rule: first.keyword,
      ...(Array.isArray(allowed) ? { allowed } : {}),
    },
  });
}

function isFastifyError(e: unknown): e is FastifyError {
  return e instanceof Error && typeof (e as Partial<FastifyError>).code === 'string';
}

/** Turns anything thrown into the answer to give. Pure, so it can be tested on its own. */
export function mapError(
  err: unknown,
  ctx: { bodyLimit?: number; requestId: string; contentType?: string },
): MappedError {
  if (isEfactError(err) && err.code !== 'INTERNAL') {
    return { status: err.httpCode, error: err, serverFault: err.httpCode >= 500 };
  }
  if (isFastifyError(err)) {
    if (err.validation) return { status: 400, error: validationError(err), serverFault: false };
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = ctx.bodyLimit;
      const error = new EfactError(
        'TOO_LARGE',
        `request body is larger than ${limit === undefined ? "this route's limit" : `the limit of ${limit} bytes`}; ANAF accepts invoice XML of at most ${DEFAULT_MAX_XML_BYTES} bytes (10 MB)`,
        { details: { limit: limit ?? null, xmlLimit: DEFAULT_MAX_XML_BYTES } },
      );
      return { status: 413, error, serverFault: false };
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const ct = ctx.contentType ?? '(none)';
      const error = new EfactError(
        'INVALID_REQUEST',
        `Content-Type ${ct} is not accepted by this route; invoice uploads take ${XML_CONTENT_TYPES.join(', ')}`,
        { details: { reason: err.code, contentType: ctx.contentType ?? null, accepted: XML_CONTENT_TYPES } },
      );
      return { status: 415, error, serverFault: false };
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // fastify's other request errors (broken JSON, bad Content-Length) describe the request,
      // not the server, so their text is safe and useful to show; their status is kept while the
      // code stays the one stable INVALID_REQUEST.
      return {
        status,
        error: new EfactError('INVALID_REQUEST', err.message, { details: { reason: err.code } }),
        serverFault: false,
      };
    }
  }
  return {
    status: 500,
    error: new EfactError('INTERNAL', `internal error; the server log has the details (request id ${ctx.requestId})`, {
      details: { requestId: ctx.requestId },
    }),
    serverFault: true,
  };
}

export function sendError(reply: FastifyReply, mapped: MappedError): FastifyReply {
  const retryAt = mapped.error.retryAt;
  if (retryAt !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 1000))));
  return reply.code(mapped.status).type('application/json; charset=utf-8').send({ error: mapped.error.toJSON() });
}

/** Installs the error handler and the 404 handler on the root instance, before any route. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const contentType = request.headers['content-type'];
    const mapped = mapError(err, {
      bodyLimit: request.routeOptions.bodyLimit,
      requestId: String(request.id),
      ...(contentType !== undefined ? { contentType } : {}),
    });
    if (mapped.serverFault) request.log.error({ err }, 'request failed');
    else request.log.info({ code: mapped.error.publicCode, message: mapped.error.message }, 'request refused');
    return sendError(reply, mapped);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? request.url;
    return sendError(reply, {
      status: 404,
      error: new EfactError('NOT_FOUND', `no route ${request.method} ${path}`, {
        details: { method: request.method, path },
      }),
      serverFault: false,
    });
  });
}
