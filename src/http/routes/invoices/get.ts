/** GET /invoices/{id} — the invoice with ANAF's messages, its event history and upload attempts. */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { serializeAttempt, serializeEvent, serializeInvoice } from '../../serialize.js';
import { errorResponses, invoiceIdParams } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { companyOfInvoiceParam } from '../../access/route-access.js';
import { loadInvoice } from './load.js';

export function getInvoiceRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { id: number } }>(
      '/invoices/:id',
      {
        schema: {
          tags: ['invoices'],
          summary: 'One invoice with its history',
          params: invoiceIdParams,
          response: { 200: { $ref: 'InvoiceDetail#' }, ...errorResponses(400, 404) },
        },
        config: { access: { role: 'viewer', tenant: companyOfInvoiceParam } },
        preValidation: rejectUnknownQuery([]),
      },
      async (request) => {
        const invoice = await loadInvoice(deps.store, request.params.id);
        const [company, events, attempts] = await Promise.all([
          deps.store.getCompany(invoice.companyId),
          deps.store.listEvents(invoice.id),
          deps.store.listAttempts(invoice.id),
        ]);
        return {
          ...serializeInvoice(invoice, company?.cif ?? null),
          events: events.map(serializeEvent),
          uploadAttempts: attempts.map(serializeAttempt),
        };
      },
    );
  };
}
