/**
 * Checks of request values that JSON schema cannot express well (dates that exist, comma lists of
 * statuses, unknown parameters). Each failure names the parameter, so a caller can fix it.
 */
import type { FastifyRequest } from 'fastify';
import { EfactError } from '../domain/errors.js';
import { ALL_STATUSES, isStatus, type InvoiceStatus } from '../domain/invoice-status.js';

export function badParam(name: string, message: string, details: Record<string, unknown> = {}): EfactError {
  return new EfactError('INVALID_REQUEST', `invalid query parameter "${name}": ${message}`, {
    details: { in: 'querystring', field: name, ...details },
  });
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO date (`2024-03-01`, read as a UTC day) or date-time with a zone. A bare date used as an
 * upper bound means the whole of that day, which is what a person asking "to 31 March" expects.
 */
export function parseIsoDate(name: string, value: string, bound: 'from' | 'to'): Date {
  const m = DATE_ONLY.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const day = new Date(Date.UTC(y, mo - 1, d));
    // Date.UTC rolls 2024-02-30 over into March; a date that rolled is not a real date.
    if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) {
      throw badParam(name, `${value} is not a calendar date`);
    }
    return bound === 'to' ? new Date(day.getTime() + 86_400_000 - 1) : day;
  }
  const t = DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) {
    throw badParam(name, `expected an ISO date (YYYY-MM-DD) or date-time with zone (YYYY-MM-DDThh:mm:ssZ), got ${JSON.stringify(value)}`);
  }
  return new Date(t);
}

/** `status=nok,invalid` → ['nok', 'invalid']; every entry must be a known status. */
export function parseStatusList(name: string, value: string): InvoiceStatus[] {
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw badParam(name, 'is empty', { allowed: ALL_STATUSES });
  const unknown = parts.filter((p) => !isStatus(p));
  if (unknown.length > 0) {
    throw badParam(name, `unknown status ${unknown.map((u) => JSON.stringify(u)).join(', ')}; allowed: ${ALL_STATUSES.join(', ')}`, {
      allowed: ALL_STATUSES,
    });
  }
  return [...new Set(parts)] as InvoiceStatus[];
}

/**
 * A preValidation hook refusing query parameters the route does not know. fastify's validator
 * silently drops them, and a mistyped filter (`stauts=nok`) would then quietly return everything.
 */
export function rejectUnknownQuery(allowed: readonly string[]) {
  const known = new Set(allowed);
  return async (request: FastifyRequest): Promise<void> => {
    const q = request.query;
    if (q === null || typeof q !== 'object') return;
    for (const key of Object.keys(q)) {
      if (!known.has(key)) {
        throw badParam(key, `unknown parameter; this route takes ${allowed.length ? allowed.join(', ') : 'none'}`, {
          allowed,
        });
      }
    }
  };
}
