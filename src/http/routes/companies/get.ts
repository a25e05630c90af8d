/** GET /companies/{cif} — one company with its settings, counts and engine state. */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { companyFromCifParam } from '../../access/route-access.js';
import { companyAdmin, companyJson } from './admin.js';

export function getCompanyRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { cif: string } }>(
      '/companies/:cif',
      {
        config: { access: { role: 'viewer', tenant: companyFromCifParam } },
        schema: {
          tags: ['companies'],
          summary: 'One company',
          params: { type: 'object', required: ['cif'], properties: { cif: cifParam } },
          response: { 200: { $ref: 'Company#' }, ...errorResponses(400, 401, 404) },
        },
        preValidation: rejectUnknownQuery([]),
      },
      async (request) => companyJson(deps, await companyAdmin(deps).find(request.params.cif)),
    );
  };
}
