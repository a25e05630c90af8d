/**
 * GET /invoice-grid — the manuals' document grid for one company: sorted by any of its columns,
 * filtered by equality, paged by keyset (`cursor` is the `next` of the previous page), with a
 * count that stops at {@link COUNT_CAP} so that it stays cheap over millions of invoices.
 */
import type { FastifyPluginAsync } from 'fastify';
import { EfactError } from '../../../domain/errors.js';
import { normalizeCif } from '../../../domain/cif.js';
import { ENVIRONMENTS, type Environment } from '../../../domain/company.js';
import { GRID_SORTS, type GridCursor, type GridQuery, type GridSort } from '../../../ports/store.js';
import type { ApiDeps } from '../../deps.js';
import { serializeInvoice } from '../../serialize.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { badParam, parseStatusList, rejectUnknownQuery } from '../../query.js';
import { companyFromCompanyQuery } from '../../access/route-access.js';

export const COUNT_CAP = 10_000;
export const GRID_MAX_PAGE = 200;

interface GridQueryString {
  company: string;
  environment?: Environment;
  status?: string;
  series?: string;
  number?: string;
  branch?: string;
  user?: string;
  computer?: string;
  sort: GridSort;
  dir: 'asc' | 'desc';
  cursor?: string;
  limit: number;
  count: boolean;
}

const text = { type: 'string', minLength: 1, maxLength: 200 } as const;

const querystring = {
  type: 'object',
  required: ['company'],
  properties: {
    company: { ...cifParam, description: 'The company (CIF, with or without RO)' },
    environment: { type: 'string', enum: [...ENVIRONMENTS] },
    status: { type: 'string', minLength: 1, maxLength: 300, description: 'A status or a comma list of statuses, e.g. nok,invalid' },
    series: text,
    number: text,
    branch: { ...text, description: 'Branch (the manuals\' Subunitate), exact' },
    user: { ...text, description: 'The ERP user who produced the file, exact' },
    computer: { ...text, description: 'The computer the file came from, exact' },
    sort: { type: 'string', enum: [...GRID_SORTS], default: 'created', description: 'created = arrival order' },
    dir: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
    cursor: { type: 'string', maxLength: 1000, description: 'The `next` of the previous page (same sort and direction)' },
    limit: { type: 'integer', minimum: 1, maximum: GRID_MAX_PAGE, default: 50 },
    count: { type: 'boolean', default: true, description: `Also count the matches, up to ${COUNT_CAP}` },
  },
} as const;

const response = {
  type: 'object',
  required: ['items', 'next', 'total'],
  properties: {
    items: { type: 'array', items: { $ref: 'Invoice#' } },
    next: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last page' },
    total: {
      anyOf: [
        {
          type: 'object',
          required: ['count', 'capped'],
          properties: {
            count: { type: 'integer' },
            capped: { type: 'boolean', description: `true: at least this many (counting stops at ${COUNT_CAP})` },
          },
        },
        { type: 'null' },
      ],
    },
  },
} as const;

/** The cursor names its sort and direction, so a cursor from another ordering is refused, not misread. */
export function encodeCursor(sort: GridSort, dir: 'asc' | 'desc', c: GridCursor): string {
  return Buffer.from(JSON.stringify([sort, dir, c.value, c.id])).toString('base64url');
}

export function decodeCursor(sort: GridSort, dir: 'asc' | 'desc', raw: string): GridCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badParam('cursor', 'is not a cursor this API gave out');
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw badParam('cursor', 'is not a cursor this API gave out');
  const [s, d, value, id] = parsed as unknown[];
  if (s !== sort || d !== dir) throw badParam('cursor', `belongs to sort=${String(s)}&dir=${String(d)}, not sort=${sort}&dir=${dir}; start again without a cursor`);
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) throw badParam('cursor', 'is not a cursor this API gave out');
  if (value !== null && typeof value !== 'string' && typeof value !== 'number') throw badParam('cursor', 'is not a cursor this API gave out');
  return { value, id };
}

export function invoiceGridRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: GridQueryString }>(
      '/invoice-grid',
      {
        config: { access: { role: 'viewer', tenant: companyFromCompanyQuery } },
        schema: {
          tags: ['invoices'],
          summary: "One company's document grid: sorted, filtered and paged by the server",
          description:
            'The columns of the manuals\' grid are fields of each Invoice: origin.computer, origin.user, environment, origin.branch, origin.sourcePath (XML file), number, series, status, uploadedAt, uploadId, downloadId, messages. Keyset paging: each page costs the same however deep it is.',
          querystring,
          response: { 200: response, ...errorResponses(400, 404) },
        },
        preValidation: rejectUnknownQuery(Object.keys(querystring.properties)),
      },
      async (request) => {
        const q = request.query;
        const cif = normalizeCif(q.company);
        const company = cif === null ? null : await deps.store.getCompanyByCif(cif);
        if (!company) {
          throw new EfactError('UNKNOWN_COMPANY', `query parameter "company": no company with CIF ${q.company} is configured`, {
            details: { in: 'querystring', field: 'company', cif: q.company },
          });
        }
        const query: GridQuery = { companyId: company.id, sort: q.sort, dir: q.dir, limit: q.limit };
        if (q.environment !== undefined) query.environment = q.environment;
        if (q.status !== undefined) query.status = parseStatusList('status', q.status);
        for (const key of ['series', 'number', 'branch', 'user', 'computer'] as const) {
          const v = q[key];
          if (v !== undefined) query[key] = v;
        }
        if (q.cursor !== undefined) query.after = decodeCursor(q.sort, q.dir, q.cursor);
        const { after: _after, sort: _sort, dir: _dir, limit: _limit, ...filter } = query;
        const [page, total] = await Promise.all([
          deps.store.queryGrid(query),
          q.count ? deps.store.countGrid(filter, COUNT_CAP) : Promise.resolve(null),
        ]);
        return {
          items: page.items.map((inv) => serializeInvoice(inv, company.cif)),
          next: page.next === null ? null : encodeCursor(q.sort, q.dir, page.next),
          total,
        };
      },
    );
  };
}
