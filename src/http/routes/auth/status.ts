/**
 * GET /auth/status — ANAF OAuth token state per profile (valid until, days left, warning),
 * with the companies using each. Masked: never a token or a secret.
 */
import type { FastifyPluginAsync } from 'fastify';
import { EfactError } from '../../../domain/errors.js';
import type { OAuthProfileStatus } from '../../../ports/oauth.js';
import type { ApiDeps } from '../../deps.js';
import { errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';

const date = { type: ['string', 'null'], format: 'date-time' } as const;
const days = { type: ['integer', 'null'] } as const;

export const profileStatusSchema = {
  type: 'object',
  required: ['name', 'clientId', 'redirectUri', 'hasClientSecret', 'hasTokens', 'state', 'accessExpiresAt', 'accessDaysLeft', 'refreshExpiresAt', 'refreshDaysLeft', 'companies'],
  properties: {
    name: { type: 'string' },
    clientId: { type: 'string', description: 'Masked' },
    redirectUri: { type: 'string' },
    hasClientSecret: { type: 'boolean' },
    hasTokens: { type: 'boolean' },
    state: { type: 'string', enum: ['ok', 'warning', 'expired', 'login-needed'] },
    message: { type: ['string', 'null'] },
    accessExpiresAt: date,
    accessDaysLeft: days,
    refreshExpiresAt: date,
    refreshDaysLeft: days,
    obtainedAt: date,
    refreshedAt: date,
    lastError: { type: ['string', 'null'] },
    companies: { type: 'array', items: { type: 'string' } },
  },
} as const;

export function serializeProfileStatus(s: OAuthProfileStatus): Record<string, unknown> {
  const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
  return {
    ...s,
    accessExpiresAt: iso(s.accessExpiresAt),
    refreshExpiresAt: iso(s.refreshExpiresAt),
    obtainedAt: iso(s.obtainedAt),
    refreshedAt: iso(s.refreshedAt),
  };
}

export function authStatusRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { company?: string } }>(
      '/auth/status',
      {
        schema: {
          tags: ['auth'],
          summary: 'ANAF OAuth token state per profile (masked)',
          querystring: { type: 'object', properties: { company: { type: 'string', description: 'Only the profile this company (CIF) uses' } } },
          response: { 200: { type: 'object', required: ['profiles'], properties: { profiles: { type: 'array', items: profileStatusSchema } } }, ...errorResponses(400, 404) },
        },
        preValidation: rejectUnknownQuery(['company']),
      },
      async (request) => {
        if (deps.oauth === undefined) throw new EfactError('NOT_FOUND', 'ANAF OAuth is not set up on this server');
        let profiles = await deps.oauth.statusAll();
        if (request.query.company !== undefined) {
          const company = await deps.intake.resolveCompany(request.query.company);
          profiles = profiles.filter((p) => p.companies.includes(company.cif));
        }
        return { profiles: profiles.map(serializeProfileStatus) };
      },
    );
  };
}
