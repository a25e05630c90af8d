/** GET /invoices/{id}/xml — the invoice XML exactly as it was received. */
import type { FastifyPluginAsync } from 'fastify';
import { EfactError } from '../../../domain/errors.js';
import type { ApiDeps } from '../../deps.js';
import { errorResponses, invoiceIdParams } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { companyOfInvoiceParam } from '../../access/route-access.js';
import { loadInvoice } from './load.js';

export function getInvoiceXmlRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { id: number } }>(
      '/invoices/:id/xml',
      {
        schema: {
          tags: ['invoices'],
          summary: 'The stored invoice XML, byte for byte',
          params: invoiceIdParams,
          produces: ['application/xml'],
          response: {
            200: { description: 'The XML as received', content: { 'application/xml': { schema: { type: 'string' } } } },
            ...errorResponses(400, 404),
          },
        },
        config: { access: { role: 'viewer', tenant: companyOfInvoiceParam } },
        preValidation: rejectUnknownQuery([]),
      },
      async (request, reply) => {
        const invoice = await loadInvoice(deps.store, request.params.id);
        const xml = await deps.store.getInvoiceXml(invoice.id);
        if (xml === null) {
          // Intake stores the XML with the row in one transaction, so this is a damaged store.
          throw new EfactError('INTERNAL', `invoice ${invoice.id} has no stored XML`);
        }
        // No charset is added: the bytes are returned untouched and the XML declares its own encoding.
        return reply.type('application/xml').send(Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength));
      },
    );
  };
}
