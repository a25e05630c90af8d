/** Checks of JSON bodies that the schema validator does not make (it drops unknown fields silently). */
import type { FastifyRequest } from 'fastify';
import { EfactError } from '../domain/errors.js';

/** A preValidation hook refusing body fields the route does not know, naming them: a typo must not be ignored. */
export function rejectUnknownBody(allowed: readonly string[]) {
  const known = new Set(allowed);
  return async (request: FastifyRequest): Promise<void> => {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) return;
    for (const key of Object.keys(body)) {
      if (!known.has(key)) {
        throw new EfactError('INVALID_REQUEST', `invalid body field "${key}": unknown field; this route takes ${allowed.join(', ')}`, {
          details: { in: 'body', field: key, allowed },
        });
      }
    }
  };
}
