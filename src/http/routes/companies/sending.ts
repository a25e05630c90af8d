/**
 * POST /companies/{cif}/start and /stop — the manuals' Start / Stop: whether the engine sends
 * this company's invoices. Stopping never interrupts an upload already on the wire; intake goes on.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { companyFromCifParam } from '../../access/route-access.js';

const response = {
  type: 'object',
  required: ['cif', 'sendingEnabled'],
  properties: { cif: { type: 'string' }, sendingEnabled: { type: 'boolean' } },
} as const;

export function sendingRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    for (const [verb, enabled] of [
      ['start', true],
      ['stop', false],
    ] as const) {
      app.post<{ Params: { cif: string } }>(
        `/companies/:cif/${verb}`,
        {
          config: { access: { role: 'operator', tenant: companyFromCifParam } },
          schema: {
            tags: ['companies'],
            summary: enabled ? 'Start sending the company\'s invoices' : 'Stop sending the company\'s invoices (intake goes on)',
            params: { type: 'object', required: ['cif'], properties: { cif: cifParam } },
            response: { 200: response, ...errorResponses(400, 404) },
          },
          preValidation: rejectUnknownQuery([]),
        },
        async (request) => {
          const company = await deps.intake.resolveCompany(request.params.cif);
          await deps.store.setSendingEnabled(company.id, enabled);
          deps.engine.wake(company.id);
          return { cif: company.cif, sendingEnabled: enabled };
        },
      );
    }
  };
}
