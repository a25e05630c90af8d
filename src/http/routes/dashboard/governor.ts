/** GET /governor — the rate governor's use: calls this minute against the limit, daily quotas. */
import type { FastifyPluginAsync } from 'fastify';
import { EfactError } from '../../../domain/errors.js';
import type { ApiDeps } from '../../deps.js';
import { errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';

const response = {
  type: 'object',
  required: ['callsThisMinute', 'perMinuteLimit', 'quotas'],
  properties: {
    callsThisMinute: { type: 'integer', description: 'Platform calls this instance made in the last minute' },
    perMinuteLimit: { type: 'integer', description: "ANAF's per-minute limit (after headroom)" },
    quotas: {
      type: 'array',
      description: 'Daily quotas in use (per message, per CUI), fullest first',
      items: {
        type: 'object',
        required: ['scope', 'used', 'limit', 'resetsAt', 'pausedByPlatform'],
        properties: {
          scope: { type: 'string' },
          used: { type: 'integer' },
          limit: { type: 'integer' },
          resetsAt: { type: 'string', format: 'date-time' },
          pausedByPlatform: { type: 'boolean', description: 'ANAF itself answered that the quota is used up' },
        },
      },
    },
  },
} as const;

export function governorRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { limit: number } }>(
      '/governor',
      {
        config: { access: { role: 'viewer', tenant: 'all' } },
        schema: {
          tags: ['system'],
          summary: "The rate governor's use of ANAF's limits",
          querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 20, description: 'At most this many quotas, fullest first' } } },
          response: { 200: response, ...errorResponses(404) },
        },
        preValidation: rejectUnknownQuery(['limit']),
      },
      async (request) => {
        if (!deps.governor) throw new EfactError('NOT_FOUND', 'this server has no rate governor to show');
        const s = deps.governor.snapshot();
        const quotas = [...s.quotas]
          .sort((a, b) => b.used / Math.max(1, b.limit) - a.used / Math.max(1, a.limit))
          .slice(0, request.query.limit)
          .map((q) => ({ ...q, resetsAt: q.resetsAt.toISOString() }));
        return { callsThisMinute: s.callsThisMinute, perMinuteLimit: s.perMinuteLimit, quotas };
      },
    );
  };
}
