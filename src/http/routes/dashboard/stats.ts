/**
 * GET /stats/invoices-per-day and GET /stats/calls-per-minute — the dashboard's two charts:
 * invoices created per day by their status now, and platform calls per minute against the limit.
 */
import type { FastifyPluginAsync } from 'fastify';
import { ALL_STATUSES } from '../../../domain/invoice-status.js';
import type { ApiDeps } from '../../deps.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { companyFromCompanyQuery } from '../../access/route-access.js';

const perDay = {
  type: 'object',
  required: ['days'],
  properties: {
    days: {
      type: 'array',
      items: {
        type: 'object',
        required: ['day', 'status', 'count'],
        properties: { day: { type: 'string', format: 'date' }, status: { type: 'string', enum: [...ALL_STATUSES] }, count: { type: 'integer' } },
      },
    },
  },
} as const;

const perMinute = {
  type: 'object',
  required: ['minutes', 'perMinuteLimit'],
  properties: {
    perMinuteLimit: { type: ['integer', 'null'] },
    minutes: {
      type: 'array',
      items: { type: 'object', required: ['minute', 'count'], properties: { minute: { type: 'string', format: 'date-time' }, count: { type: 'integer' } } },
    },
  },
} as const;

export function statsRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { company: string; days: number } }>(
      '/stats/invoices-per-day',
      {
        config: { access: { role: 'viewer', tenant: companyFromCompanyQuery } },
        schema: {
          tags: ['system'],
          summary: 'Invoices created per UTC day, by their current status',
          querystring: {
            type: 'object',
            required: ['company'],
            properties: { company: cifParam, days: { type: 'integer', minimum: 1, maximum: 60, default: 14 } },
          },
          response: { 200: perDay, ...errorResponses(400, 404) },
        },
        preValidation: rejectUnknownQuery(['company', 'days']),
      },
      async (request) => {
        const q = request.query;
        const company = await deps.intake.resolveCompany(q.company);
        const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
        const since = new Date(today - (q.days - 1) * 86_400_000);
        return { days: await deps.store.invoicesPerDay(company.id, since) };
      },
    );
    app.get<{ Querystring: { minutes: number } }>(
      '/stats/calls-per-minute',
      {
        config: { access: { role: 'viewer', tenant: 'all' } },
        schema: {
          tags: ['system'],
          summary: 'Platform calls per minute (from the call ledger), with the per-minute limit',
          querystring: { type: 'object', properties: { minutes: { type: 'integer', minimum: 1, maximum: 1440, default: 60 } } },
          response: { 200: perMinute, ...errorResponses(400) },
        },
        preValidation: rejectUnknownQuery(['minutes']),
      },
      async (request) => {
        const since = new Date(Math.floor(Date.now() / 60_000) * 60_000 - (request.query.minutes - 1) * 60_000);
        const rows = await deps.store.callsPerMinute(since);
        return {
          perMinuteLimit: deps.governor?.snapshot().perMinuteLimit ?? null,
          minutes: rows.map((r) => ({ minute: r.minute.toISOString(), count: r.count })),
        };
      },
    );
  };
}
