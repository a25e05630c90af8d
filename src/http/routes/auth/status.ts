/**
 * GET /auth/status — ANAF OAuth token state per profile (valid until, days left, warning),
 * with the companies using each. Masked: never a token or a secret.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { OAuthProfileStatus } from '../../../ports/oauth.js';
import type { ApiDeps } from '../../deps.js';
import { errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { companyFromCompanyQuery } from '../../access/route-access.js';

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
    app.get<{ Querystring: { company: string } }>(
      '/auth/status',
      {
        config: { access: { role: 'viewer', tenant: companyFromCompanyQuery } },
        schema: {
          tags: ['auth'],
          summary: 'ANAF OAuth token state per profile (masked)',
          querystring: { type: 'object', required: ['company'], properties: { company: { type: 'string', description: 'The company (CIF): the profile it uses' } } },
          response: { 200: { type: 'object', required: ['profiles'], properties: { profiles: { type: 'array', items: profileStatusSchema } } }, ...errorResponses(400, 404) },
        },
        preValidation: rejectUnknownQuery(['company']),
      },
      async (request) => {
        const company = await deps.intake.resolveCompany(request.query.company);
        // Without OAuth set up (a fixed token, the sandbox) there is no profile to show.
        if (deps.oauth === undefined) return { profiles: [] };
        const profiles = (await deps.oauth.statusAll()).filter((p) => p.companies.includes(company.cif));
        // Only the asked company is named: a profile may also serve companies outside the caller's scope.
        return { profiles: profiles.map((p) => serializeProfileStatus({ ...p, companies: [company.cif] })) };
      },
    );
  };
}
