/**
 * DELETE /companies/{cif}[?force=true] — remove a company: the engine stops working it, intake
 * refuses it, its invoices and archive are kept (and readable). With open invoices, force is needed.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { companyFromCifParam } from '../../access/route-access.js';
import { companyAdmin, companyJson } from './admin.js';

const querystring = {
  type: 'object',
  properties: { force: { type: 'boolean', default: false, description: 'Remove even with open invoices (they stay where they are)' } },
} as const;

const response = {
  type: 'object',
  required: ['removed', 'openInvoices', 'company'],
  properties: {
    removed: { type: 'boolean', enum: [true] },
    openInvoices: { type: 'integer', description: 'Open invoices left where they were' },
    company: { $ref: 'Company#' },
  },
} as const;

export function removeCompanyRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.delete<{ Params: { cif: string }; Querystring: { force: boolean } }>(
      '/companies/:cif',
      {
        config: { access: { role: 'admin', tenant: companyFromCifParam } },
        schema: {
          tags: ['companies'],
          summary: 'Remove a company (its invoices and archive are kept)',
          description: '409 when it still has open invoices and force is not given, or when it is listed in the configuration file.',
          params: { type: 'object', required: ['cif'], properties: { cif: cifParam } },
          querystring,
          response: { 200: response, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preValidation: rejectUnknownQuery(['force']),
      },
      async (request) => {
        const result = await companyAdmin(deps).remove(request.params.cif, { force: request.query.force });
        return { removed: true as const, openInvoices: result.openInvoices, company: await companyJson(deps, result.company) };
      },
    );
  };
}
