/** GET /invoices/{id}/archive — ANAF's signed answer ZIP, as downloaded and archived. */
import type { FastifyPluginAsync } from 'fastify';
import { EfactError } from '../../../domain/errors.js';
import type { ApiDeps } from '../../deps.js';
import { errorResponses, invoiceIdParams } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { companyOfInvoiceParam } from '../../access/route-access.js';
import { loadInvoice } from './load.js';

/**
 * The download id is ANAF's opaque string; it goes into a header, so anything beyond a plain file
 * name character is replaced rather than trusted (no quote or CR/LF can reach the header).
 */
export function archiveFileName(downloadId: string | null, invoiceId: number): string {
  const safe = (downloadId ?? '').replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' ? `invoice-${invoiceId}.zip` : `${safe}.zip`;
}

export function getInvoiceArchiveRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { id: number } }>(
      '/invoices/:id/archive',
      {
        schema: {
          tags: ['invoices'],
          summary: "ANAF's answer ZIP (signed invoice or error report)",
          params: invoiceIdParams,
          produces: ['application/zip'],
          response: {
            200: {
              description: 'The ZIP exactly as ANAF sent it, named <downloadId>.zip',
              content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
            },
            ...errorResponses(400, 404),
          },
        },
        config: { access: { role: 'viewer', tenant: companyOfInvoiceParam } },
        preValidation: rejectUnknownQuery([]),
      },
      async (request, reply) => {
        const invoice = await loadInvoice(deps.store, request.params.id);
        if (invoice.archivePath === null) {
          throw new EfactError(
            'NOT_FOUND',
            `invoice ${invoice.id} has no archived answer yet (status ${invoice.status}); ANAF's answer is archived once it has been downloaded`,
            { details: { id: invoice.id, status: invoice.status, downloadId: invoice.downloadId } },
          );
        }
        const zip = await deps.archive.read(invoice.archivePath);
        return reply
          .type('application/zip')
          .header('content-disposition', `attachment; filename="${archiveFileName(invoice.downloadId, invoice.id)}"`)
          .send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
      },
    );
  };
}
