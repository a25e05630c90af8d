/** PATCH /companies/{cif} — change some fields of a company added through the CLI or the API. */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { rejectUnknownBody } from '../../body.js';
import { companyFromCifParam, principalOf } from '../../access/route-access.js';
import { EfactError } from '../../../domain/errors.js';
import type { CompanyChangeRequest } from '../../../server/company-admin.js';
import { companyAdmin, companyFields, companyJson } from './admin.js';

const body = { type: 'object', properties: companyFields } as const;

export function updateCompanyRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.patch<{ Params: { cif: string }; Body: CompanyChangeRequest }>(
      '/companies/:cif',
      {
        config: { access: { role: 'operator', tenant: companyFromCifParam } },
        schema: {
          tags: ['companies'],
          summary: 'Change a company',
          description:
            'Only the fields given change (exportFolder and oauthProfile only by an admin); "" or null clears an optional one. A company listed in the configuration file is changed there (409 here). ' +
            'The environment changes only before the first invoice (then use promote).',
          params: { type: 'object', required: ['cif'], properties: { cif: cifParam } },
          body,
          response: { 200: { $ref: 'Company#' }, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preValidation: [rejectUnknownQuery([]), rejectUnknownBody(Object.keys(body.properties))],
      },
      async (request) => {
        // Which folder the server reads and which ANAF credentials a company uses are the server's business.
        const adminOnly = (['exportFolder', 'oauthProfile'] as const).filter((f) => request.body?.[f] !== undefined);
        const principal = principalOf(request);
        if (adminOnly.length > 0 && principal.role !== 'admin') {
          throw new EfactError('FORBIDDEN', `changing ${adminOnly.join(' and ')} needs the admin role; the key "${principal.name}" has the ${principal.role} role`, {
            details: { fields: adminOnly, role: principal.role },
          });
        }
        const company = await companyAdmin(deps).update(request.params.cif, request.body ?? {});
        deps.engine.wake(company.id);
        return companyJson(deps, company);
      },
    );
  };
}
