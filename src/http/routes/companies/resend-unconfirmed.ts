/**
 * POST /companies/{cif}/resend-unconfirmed — every invoice of the company waiting at
 * needs-attention because its upload was never confirmed, sent again at once (a person checked
 * SPV). Needs `{"confirm": true}`: ANAF files what it receives.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { cifParam, confirmBody, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { rejectUnknownBody } from '../../body.js';
import { companyFromCifParam } from '../../access/route-access.js';
import { resendUnconfirmed } from '../../../server/attention.js';
import { deciderOf } from '../invoices/resend.js';

const body = confirmBody('a person checked in SPV that ANAF does not have these invoices');

const response = {
  type: 'object',
  required: ['cif', 'resent', 'ids'],
  properties: {
    cif: { type: 'string' },
    resent: { type: 'integer', description: 'Invoices queued again' },
    ids: { type: 'array', items: { type: 'integer' } },
  },
} as const;

export function resendUnconfirmedRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { cif: string }; Body: { confirm: true } }>(
      '/companies/:cif/resend-unconfirmed',
      {
        config: { access: { role: 'operator', tenant: companyFromCifParam } },
        schema: {
          tags: ['companies'],
          summary: 'Send again every invoice whose upload ANAF never confirmed (needs-attention, no upload id)',
          description: 'Invoices ANAF has (an upload id is known) are never included: they would be filed twice.',
          params: { type: 'object', required: ['cif'], properties: { cif: cifParam } },
          body,
          response: { 200: response, ...errorResponses(400, 401, 403, 404) },
        },
        preValidation: [rejectUnknownQuery([]), rejectUnknownBody(['confirm'])],
      },
      async (request) => {
        const company = await deps.intake.resolveCompany(request.params.cif);
        const resent = await resendUnconfirmed(deps.store, company, deciderOf(request));
        if (resent.length > 0) deps.engine.wake(company.id);
        return { cif: company.cif, resent: resent.length, ids: resent.map((i) => i.id) };
      },
    );
  };
}
