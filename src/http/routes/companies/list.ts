/** GET /companies — every company with its invoice counts per status and its engine state. */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import type { StatusCount } from '../../../ports/store.js';
import { serializeCompany } from '../../serialize.js';
import { errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { visibleTo } from '../../access/route-access.js';
import { companyAdmin } from './admin.js';

const response = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: { $ref: 'Company#' } } },
} as const;

export function listCompaniesRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/companies',
      {
        schema: { tags: ['companies'], summary: 'Companies, invoice counts and engine state', response: { 200: response, ...errorResponses() } },
        config: { access: { role: 'viewer', tenant: 'filtered' } },
        preValidation: rejectUnknownQuery([]),
      },
      async (request) => {
        const [all, counts] = await Promise.all([deps.store.listCompanies(), deps.store.countByStatus()]);
        const companies = visibleTo(request, all);
        const countsOf = new Map<number, StatusCount[]>();
        for (const row of counts) {
          const list = countsOf.get(row.companyId) ?? [];
          list.push(row);
          countsOf.set(row.companyId, list);
        }
        const states = new Map(deps.engine.states().map((s) => [s.companyId, s]));
        return {
          items: companies.map((c) =>
            serializeCompany(c, countsOf.get(c.id) ?? [], states.get(c.id), companyAdmin(deps).isConfigured(c.cif) ? 'config' : 'store'),
          ),
        };
      },
    );
  };
}
