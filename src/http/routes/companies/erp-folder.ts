/**
 * The company's ERP export folder:
 *  GET /companies/{cif}/erp-folder — folder, write-back on/off, month selection, and the answers
 *      that could not be written beside their invoices (read-only folder, a file in the way), why;
 *  PUT /companies/{cif}/months — which month folders (`Efact<yyyy>_<mm>`) are taken: a list of
 *      `yyyy-mm` (empty: all months), or null to go back to the configuration's.
 */
import type { FastifyPluginAsync } from 'fastify';
import { EfactError } from '../../../domain/errors.js';
import type { ApiDeps } from '../../deps.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { companyFromCifParam } from '../../access/route-access.js';

const monthsView = {
  type: 'object',
  required: ['months', 'source'],
  properties: {
    months: { type: 'array', items: { type: 'string' }, description: 'Selected months yyyy-mm; empty: every month' },
    source: { type: 'string', enum: ['person', 'config', 'all'], description: 'Where the selection comes from' },
  },
} as const;

const folderView = {
  type: 'object',
  required: ['cif', 'exportFolder', 'writeBack', 'months', 'writeBackErrorCount', 'writeBackErrors'],
  properties: {
    cif: { type: 'string' },
    exportFolder: { type: 'string' },
    writeBack: { type: 'boolean' },
    months: monthsView,
    writeBackErrorCount: { type: 'integer' },
    writeBackErrors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['invoiceId', 'invoiceNumber', 'sourcePath', 'status', 'writeBackError', 'at', 'attempts', 'nextTryAt'],
        properties: {
          invoiceId: { type: 'integer' },
          invoiceNumber: { type: 'string' },
          sourcePath: { type: ['string', 'null'] },
          status: { type: 'string' },
          writeBackError: { type: 'string' },
          at: { type: 'string', format: 'date-time' },
          attempts: { type: 'integer' },
          nextTryAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
    },
  },
} as const;

const MONTH = '^\\d{4}-(0[1-9]|1[0-2])$';

export function erpFolderRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    const noFolder = (cif: string): EfactError =>
      new EfactError('NOT_FOUND', `company ${cif} has no export folder configured`, { details: { cif } });

    app.get<{ Params: { cif: string } }>(
      '/companies/:cif/erp-folder',
      {
        config: { access: { role: 'viewer', tenant: companyFromCifParam } },
        schema: {
          tags: ['companies'],
          summary: 'The export folder: write-back, month selection, answers that could not be written',
          params: { type: 'object', required: ['cif'], properties: { cif: cifParam } },
          response: { 200: folderView, ...errorResponses(400, 404) },
        },
        preValidation: rejectUnknownQuery([]),
      },
      async (request) => {
        const company = await deps.intake.resolveCompany(request.params.cif);
        const view = await deps.erpFolders?.view(company.cif);
        if (!view) throw noFolder(company.cif);
        return {
          ...view,
          writeBackErrors: view.writeBackErrors.map((e) => ({
            invoiceId: e.invoiceId,
            invoiceNumber: e.invoiceNumber,
            sourcePath: e.sourcePath,
            status: e.status,
            writeBackError: e.error,
            at: e.at.toISOString(),
            attempts: e.attempts,
            nextTryAt: e.nextTryAt?.toISOString() ?? null,
          })),
        };
      },
    );

    app.put<{ Params: { cif: string }; Body: { months: string[] | null } }>(
      '/companies/:cif/months',
      {
        config: { access: { role: 'operator', tenant: companyFromCifParam } },
        schema: {
          tags: ['companies'],
          summary: 'Choose the months of the export folder to take',
          description: 'A list of yyyy-mm (the month folders Efact<yyyy>_<mm>); an empty list takes every month; null goes back to the configuration.',
          params: { type: 'object', required: ['cif'], properties: { cif: cifParam } },
          body: {
            type: 'object',
            required: ['months'],
            additionalProperties: false,
            properties: { months: { anyOf: [{ type: 'array', maxItems: 240, items: { type: 'string', pattern: MONTH } }, { type: 'null' }] } },
          },
          response: { 200: monthsView, ...errorResponses(400, 404) },
        },
        preValidation: rejectUnknownQuery([]),
      },
      async (request) => {
        const company = await deps.intake.resolveCompany(request.params.cif);
        if (!deps.erpFolders) throw noFolder(company.cif);
        return deps.erpFolders.setMonths(company.cif, request.body.months);
      },
    );
  };
}
