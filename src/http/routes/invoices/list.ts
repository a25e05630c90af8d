/**
 * GET /invoices — filtered, keyset-paginated list, oldest first. `next` is the cursor to pass as
 * `after` for the following page, null on the last page. Keyset (id > cursor) rather than offsets
 * so that pages stay stable while the engine keeps inserting and changing invoices.
 */
import type { FastifyPluginAsync } from 'fastify';
import { EfactError } from '../../../domain/errors.js';
import { normalizeCif } from '../../../domain/cif.js';
import type { Company, Environment } from '../../../domain/company.js';
import { ENVIRONMENTS } from '../../../domain/company.js';
import type { InvoiceQuery } from '../../../ports/store.js';
import type { ApiDeps } from '../../deps.js';
import { serializeInvoice } from '../../serialize.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { badParam, parseIsoDate, parseStatusList, rejectUnknownQuery } from '../../query.js';
import { canSee, principalOf, visibleTo } from '../../access/route-access.js';
import type { FastifyRequest } from 'fastify';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;

interface ListQuery {
  company?: string;
  environment?: Environment;
  status?: string;
  series?: string;
  number?: string;
  from?: string;
  to?: string;
  after?: string;
  limit: number;
}

const querystring = {
  type: 'object',
  properties: {
    company: { ...cifParam, description: 'Only this company (CIF, with or without RO)' },
    environment: { type: 'string', enum: [...ENVIRONMENTS] },
    status: { type: 'string', minLength: 1, maxLength: 300, description: 'A status or a comma list of statuses, e.g. nok,invalid' },
    series: { type: 'string', minLength: 1, maxLength: 200 },
    number: { type: 'string', minLength: 1, maxLength: 200 },
    from: { type: 'string', maxLength: 40, description: 'Created at or after: YYYY-MM-DD (UTC day) or ISO date-time with zone' },
    to: { type: 'string', maxLength: 40, description: 'Created at or before: YYYY-MM-DD (the whole UTC day) or ISO date-time with zone' },
    after: { type: 'string', pattern: '^[0-9]{1,15}$', description: 'Cursor: the `next` of the previous page' },
    limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE },
  },
} as const;

const response = {
  type: 'object',
  required: ['items', 'next'],
  properties: {
    items: { type: 'array', items: { $ref: 'Invoice#' } },
    next: { type: ['string', 'null'], description: 'Pass as `after` for the next page; null when this is the last' },
  },
} as const;

async function companyFilter(deps: ApiDeps, request: FastifyRequest, value: string): Promise<Company> {
  const cif = normalizeCif(value);
  const company = cif === null ? null : await deps.store.getCompanyByCif(cif);
  // a company outside the caller's scope is answered exactly like one that does not exist
  if (!company || !canSee(request, company.cif)) {
    throw new EfactError('UNKNOWN_COMPANY', `query parameter "company": no company with CIF ${value} is configured`, {
      details: { in: 'querystring', field: 'company', cif: value },
    });
  }
  return company;
}

export function listInvoicesRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: ListQuery }>(
      '/invoices',
      {
        schema: {
          tags: ['invoices'],
          summary: 'List invoices (filtered, keyset-paginated)',
          querystring,
          response: { 200: response, ...errorResponses(400, 404) },
        },
        config: { access: { role: 'viewer', tenant: 'filtered' } },
        preValidation: rejectUnknownQuery(Object.keys(querystring.properties)),
      },
      async (request) => {
        const q = request.query;
        const query: InvoiceQuery = { limit: q.limit + 1, order: 'asc' };
        let companies: Company[];
        if (q.company !== undefined) {
          const company = await companyFilter(deps, request, q.company);
          query.companyId = company.id;
          companies = [company];
        } else {
          // removed companies' invoices stay readable
          companies = visibleTo(request, await deps.store.listCompanies({ includeRemoved: true }));
          if (principalOf(request).companies !== null) query.companyIds = companies.map((c) => c.id);
        }
        if (q.environment !== undefined) query.environment = q.environment;
        if (q.status !== undefined) query.status = parseStatusList('status', q.status);
        if (q.series !== undefined) query.series = q.series;
        if (q.number !== undefined) query.number = q.number;
        if (q.from !== undefined) query.from = parseIsoDate('from', q.from, 'from');
        if (q.to !== undefined) query.to = parseIsoDate('to', q.to, 'to');
        if (query.from && query.to && query.from > query.to) throw badParam('to', `${q.to} is before from=${q.from}`);
        if (q.after !== undefined) query.afterId = Number(q.after);

        // One row more than asked tells whether another page exists without a count query.
        const rows = await deps.store.listInvoices(query);
        const page = rows.slice(0, q.limit);
        const cifs = new Map(companies.map((c) => [c.id, c.cif]));
        return {
          items: page.map((inv) => serializeInvoice(inv, cifs.get(inv.companyId) ?? null)),
          next: rows.length > q.limit ? String(page.at(-1)!.id) : null,
        };
      },
    );
  };
}
