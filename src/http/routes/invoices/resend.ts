/**
 * POST /invoices/{id}/resend and POST /invoices/{id}/upload-id — a person's decision on an invoice
 * waiting at needs-attention because its upload was never confirmed (src/server/attention.ts):
 * send it again (ANAF does not have it), or record the upload id found in SPV.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { serializeInvoice } from '../../serialize.js';
import { errorResponses, invoiceIdParams } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { rejectUnknownBody } from '../../body.js';
import { companyOfInvoiceParam, principalOf } from '../../access/route-access.js';
import { recordUploadId, resendInvoice, type Decider } from '../../../server/attention.js';
import { loadInvoice } from './load.js';

const response = {
  type: 'object',
  required: ['invoice'],
  properties: { invoice: { $ref: 'Invoice#' } },
} as const;

export function deciderOf(request: FastifyRequest): Decider {
  return { instance: 'api', by: principalOf(request).name, details: { requestId: String(request.id) } };
}

export function invoiceDecisionRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    const answer = async (invoice: Awaited<ReturnType<typeof loadInvoice>>) => {
      deps.engine.wake(invoice.companyId);
      return { invoice: serializeInvoice(invoice, (await deps.store.getCompany(invoice.companyId))?.cif ?? null) };
    };

    app.post<{ Params: { id: number } }>(
      '/invoices/:id/resend',
      {
        config: { access: { role: 'operator', tenant: companyOfInvoiceParam } },
        schema: {
          tags: ['invoices'],
          summary: 'Send again an invoice whose upload ANAF never confirmed (needs-attention)',
          description:
            'For an invoice at needs-attention without an upload id, after a person checked in SPV that ANAF does not have it: queued and uploaded again. 409 for any other invoice (one ANAF has would be filed twice; a NOK is corrected and sent as a new file).',
          params: invoiceIdParams,
          response: { 200: response, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preValidation: rejectUnknownQuery([]),
      },
      async (request) => answer(await resendInvoice(deps.store, await loadInvoice(deps.store, request.params.id), deciderOf(request))),
    );

    app.post<{ Params: { id: number }; Body: { uploadId: string } }>(
      '/invoices/:id/upload-id',
      {
        config: { access: { role: 'operator', tenant: companyOfInvoiceParam } },
        schema: {
          tags: ['invoices'],
          summary: 'Record the upload id found in SPV for an invoice whose upload was never confirmed',
          description:
            'For an invoice at needs-attention without an upload id: the upload index (index de încărcare) a person found in SPV is recorded, the invoice goes to processing and the engine asks ANAF for its answer. 409 for any other invoice, or an upload id another invoice already has.',
          params: invoiceIdParams,
          body: {
            type: 'object',
            required: ['uploadId'],
            properties: { uploadId: { type: 'string', pattern: '^\\s*\\d{1,20}\\s*$', description: "ANAF's upload index, digits only" } },
          },
          response: { 200: response, ...errorResponses(400, 401, 403, 404, 409) },
        },
        preValidation: [rejectUnknownQuery([]), rejectUnknownBody(['uploadId'])],
      },
      async (request) =>
        answer(await recordUploadId(deps.store, await loadInvoice(deps.store, request.params.id), request.body.uploadId, deciderOf(request))),
    );
  };
}
