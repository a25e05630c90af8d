/** POST /companies — add a company (admin with a key for all companies). */
import type { FastifyPluginAsync } from 'fastify';
import { API_PREFIX, type ApiDeps } from '../../deps.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { rejectUnknownBody } from '../../body.js';
import type { NewCompanyInput } from '../../../domain/company-fields.js';
import { companyAdmin, companyFields, companyJson } from './admin.js';

type Body = NewCompanyInput;

const body = {
  type: 'object',
  required: ['cif', 'shortName', 'name'],
  properties: { cif: { ...cifParam, description: 'CIF with or without RO; checked with the Romanian check digit, stored without RO' }, ...companyFields },
} as const;

export function createCompanyRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: Body }>(
      '/companies',
      {
        config: { access: { role: 'admin', tenant: 'all' } },
        schema: {
          tags: ['companies'],
          summary: 'Add a company',
          description:
            'The running engine picks it up within 5 s. A company removed before comes back with its invoices. 409 when the CIF or the short name is taken.',
          body,
          response: { 201: { $ref: 'Company#' }, ...errorResponses(400, 401, 403, 409) },
        },
        preValidation: [rejectUnknownQuery([]), rejectUnknownBody(Object.keys(body.properties))],
      },
      async (request, reply) => {
        const company = await companyAdmin(deps).add(request.body);
        deps.engine.wake();
        return reply.code(201).header('location', `${API_PREFIX}/companies/${company.cif}`).send(await companyJson(deps, company));
      },
    );
  };
}
