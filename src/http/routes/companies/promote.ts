/**
 * POST /companies/{cif}/promote — the manuals' "Reset eFact": only in test, every test invoice of
 * the company becomes a queued production invoice (upload/download ids and dates cleared) and the
 * company moves to prod. Needs `{"confirm": true}`: it sends everything to ANAF's production again.
 */
import type { FastifyPluginAsync } from 'fastify';
import { EfactError } from '../../../domain/errors.js';
import type { ApiDeps } from '../../deps.js';
import { cifParam, confirmBody, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { rejectUnknownBody } from '../../body.js';
import { companyFromCifParam } from '../../access/route-access.js';
import { companyAdmin, companyJson } from './admin.js';

const body = confirmBody('every test invoice is sent to production again');

const response = {
  type: 'object',
  required: ['moved', 'company'],
  properties: { moved: { type: 'integer', description: 'Invoices moved from test to production and queued' }, company: { $ref: 'Company#' } },
} as const;

export function promoteCompanyRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { cif: string }; Body: { confirm: true } }>(
      '/companies/:cif/promote',
      {
        config: { access: { role: 'operator', tenant: companyFromCifParam } },
        schema: {
          tags: ['companies'],
          summary: '"Reset eFact": move a test company and its invoices to production',
          params: { type: 'object', required: ['cif'], properties: { cif: cifParam } },
          body,
          response: { 200: response, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preValidation: [rejectUnknownQuery([]), rejectUnknownBody(['confirm'])],
      },
      async (request) => {
        const company = await companyAdmin(deps).find(request.params.cif);
        if (company.environment !== 'test') {
          throw new EfactError('WRONG_ENVIRONMENT', `${company.shortName} is already in production; "Reset eFact" works only in test`, {
            details: { cif: company.cif },
          });
        }
        const moved = await deps.store.promoteToProd(company.id, { instance: 'api', cause: 'promote-test-to-prod', details: { requestId: String(request.id) } });
        deps.engine.wake(company.id);
        const after = (await deps.store.getCompany(company.id)) ?? company;
        return { moved, company: await companyJson(deps, after) };
      },
    );
  };
}
