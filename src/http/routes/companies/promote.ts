/**
 * POST /companies/{cif}/promote — the manuals' "Reset eFact": only while the company is in test,
 * every test invoice becomes a queued production invoice (upload/download ids and dates cleared)
 * and is sent to ANAF's production system again; the company moves to prod. The body must say
 * `{"confirm": "promote-to-prod"}` so that no stray request does this by accident.
 */
import type { FastifyPluginAsync } from 'fastify';
import { EfactError } from '../../../domain/errors.js';
import type { ApiDeps } from '../../deps.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';

export const PROMOTE_CONFIRMATION = 'promote-to-prod';

const response = {
  type: 'object',
  required: ['cif', 'environment', 'moved'],
  properties: {
    cif: { type: 'string' },
    environment: { type: 'string', enum: ['prod'] },
    moved: { type: 'integer', description: 'Invoices moved from test to production and queued' },
  },
} as const;

export function promoteRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { cif: string }; Body: { confirm: string } }>(
      '/companies/:cif/promote',
      {
        schema: {
          tags: ['companies'],
          summary: 'Promote test → prod ("Reset eFact"): only in test',
          description:
            "Every test invoice of the company (not superseded) becomes a queued production invoice with ANAF's ids and dates cleared, and is sent to production again; the company moves to prod. 409 when it is already in prod. If a configuration file lists the company with `environment: test`, change it to `prod` as well.",
          params: { type: 'object', required: ['cif'], properties: { cif: cifParam } },
          body: {
            type: 'object',
            required: ['confirm'],
            additionalProperties: false,
            properties: { confirm: { type: 'string', enum: [PROMOTE_CONFIRMATION], description: `Must be "${PROMOTE_CONFIRMATION}"` } },
          },
          response: { 200: response, ...errorResponses(400, 404, 409) },
        },
        preValidation: rejectUnknownQuery([]),
      },
      async (request) => {
        const company = await deps.intake.resolveCompany(request.params.cif);
        if (company.environment !== 'test') {
          throw new EfactError('WRONG_ENVIRONMENT', `${company.shortName} is already in production; "Reset eFact" works only in test`, {
            details: { cif: company.cif },
          });
        }
        const moved = await deps.store.promoteToProd(company.id, { instance: 'api', cause: 'promote-test-to-prod' });
        deps.engine.wake(company.id);
        return { cif: company.cif, environment: 'prod' as const, moved };
      },
    );
  };
}
