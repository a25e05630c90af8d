/**
 * GET /invoices/{id}/pdf — the invoice rendered as PDF by ANAF's `transformare` service (through
 * the connector and so the rate governor). When ANAF cannot render it (the XML does not pass its
 * validation, the service is down), the error says so with ANAF's own message.
 */
import type { FastifyPluginAsync } from 'fastify';
import { EfactError, asEfactError } from '../../../domain/errors.js';
import type { ApiDeps } from '../../deps.js';
import { errorResponses, invoiceIdParams } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { loadInvoice } from './load.js';
import { companyOfInvoiceParam } from '../../access/route-access.js';

export function getInvoicePdfRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { id: number } }>(
      '/invoices/:id/pdf',
      {
        config: { access: { role: 'viewer', tenant: companyOfInvoiceParam } },
        schema: {
          tags: ['invoices'],
          summary: "The invoice as PDF, rendered by ANAF's transformare service",
          params: invoiceIdParams,
          produces: ['application/pdf'],
          response: {
            200: { description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } },
            ...errorResponses(400, 404, 422, 429, 502, 504),
          },
        },
        preValidation: rejectUnknownQuery([]),
      },
      async (request, reply) => {
        const invoice = await loadInvoice(deps.store, request.params.id);
        if (!deps.pdf) throw new EfactError('NOT_FOUND', 'this server has no ANAF connection to render PDFs with');
        const [company, xml] = await Promise.all([deps.store.getCompany(invoice.companyId), deps.store.getInvoiceXml(invoice.id)]);
        if (!company || !xml) throw new EfactError('NOT_FOUND', `invoice ${invoice.id} has no stored XML`);
        let pdf: Uint8Array;
        try {
          pdf = await deps.pdf.toPdf({
            context: { environment: invoice.environment, companyCif: company.cif, invoiceId: invoice.id },
            xml,
            standard: invoice.standard === 'CN' ? 'FCN' : 'FACT1',
          });
        } catch (e) {
          const err = asEfactError(e);
          const said = err.platformMessage ?? err.message;
          throw new EfactError(err.code, `ANAF could not render invoice ${invoice.id} as PDF: ${said}`, {
            ...(err.platformMessage !== undefined ? { platformMessage: err.platformMessage } : {}),
            details: { invoiceId: invoice.id },
            cause: e,
          });
        }
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="invoice-${invoice.id}.pdf"`)
          .send(Buffer.from(pdf));
      },
    );
  };
}
