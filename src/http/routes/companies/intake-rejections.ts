/**
 * GET /companies/{cif}/intake-rejections — files in the company's export folder that were not
 * accepted, with the reason (malformed XML, wrong supplier, ...), so a person sees them without
 * reading logs. Paths are relative to the export folder.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { companyFromCifParam } from '../../access/route-access.js';

const response = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['file', 'code', 'message', 'at', 'retrying'],
        properties: {
          file: { type: 'string', description: 'Path relative to the export folder' },
          code: { type: 'string', description: 'EFACT_ERR_* code' },
          message: { type: 'string' },
          at: { type: 'string', format: 'date-time' },
          retrying: { type: 'boolean', description: 'A passing failure that is tried again by itself' },
        },
      },
    },
  },
} as const;

export function intakeRejectionsRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { cif: string } }>(
      '/companies/:cif/intake-rejections',
      {
        schema: {
          tags: ['companies'],
          summary: 'Files of the export folder that were not accepted, and why',
          params: { type: 'object', required: ['cif'], properties: { cif: cifParam } },
          response: { 200: response, ...errorResponses(400, 404) },
        },
        config: { access: { role: 'viewer', tenant: companyFromCifParam } },
        preValidation: rejectUnknownQuery([]),
      },
      async (request) => {
        const company = await deps.intake.resolveCompany(request.params.cif);
        return {
          items: (deps.rejections?.list(company.cif) ?? []).map((r) => ({
            file: r.file,
            code: r.code,
            message: r.message,
            at: r.at.toISOString(),
            retrying: r.retrying ?? false,
          })),
        };
      },
    );
  };
}
