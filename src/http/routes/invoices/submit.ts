/**
 * POST /companies/{cif}/invoices — one invoice XML as the raw request body.
 *
 * Answers 202 when the invoice was stored and queued (created, or superseding a nok / invalid /
 * needs-attention / still-queued file with the same series and number), and 200 when these exact
 * bytes were already known (duplicate: nothing new queued). Intake answers only after the store
 * has committed (ARCHITECTURE rule 2).
 */
import type { FastifyPluginAsync } from 'fastify';
import { normalizeCif } from '../../../domain/cif.js';
import type { UploadFlags } from '../../../domain/invoice.js';
import { API_PREFIX, DEFAULT_UPLOAD_BODY_LIMIT, type ApiDeps } from '../../deps.js';
import { serializeInvoice } from '../../serialize.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { companyFromCifParam } from '../../access/route-access.js';
import { acceptRawXml, xmlBodyBytes, xmlBodyDoc } from '../../xml-body.js';

interface SubmitQuery {
  series?: string;
  number?: string;
  user?: string;
  branch?: string;
  computer?: string;
  b2c?: boolean;
  extern?: boolean;
  autofactura?: boolean;
  executare?: boolean;
}

const text = (description: string) => ({ type: 'string', minLength: 1, maxLength: 200, description }) as const;
const flag = (description: string) => ({ type: 'boolean', description }) as const;

const querystring = {
  type: 'object',
  properties: {
    series: text('Overrides the series read from the XML'),
    number: text('Overrides the number read from the XML'),
    user: text('ERP user who issued it (the manuals\' user column)'),
    branch: text('Branch / Subunitate'),
    computer: text('Computer it came from'),
    b2c: flag('Business-to-consumer: sent to ANAF uploadb2c'),
    extern: flag('Buyer outside Romania (ANAF extern=DA)'),
    autofactura: flag('Self-billing: the company is the buyer (ANAF autofactura=DA)'),
    executare: flag('Issued by an enforcement officer (ANAF executare=DA)'),
  },
} as const;

const accepted = {
  type: 'object',
  required: ['id', 'status', 'outcome', 'invoice'],
  properties: {
    id: { type: 'integer' },
    status: { type: 'string' },
    outcome: { type: 'string', enum: ['created', 'duplicate', 'superseded'] },
    supersedes: { type: 'integer', description: 'Id of the invoice this one replaced (outcome superseded)' },
    invoice: { $ref: 'Invoice#' },
  },
} as const;

const documentXmlBody = xmlBodyDoc('The invoice XML (UBL Invoice, UBL CreditNote or CII), at most 10 MB, no DOCTYPE');

export function submitInvoiceRoute(deps: ApiDeps): FastifyPluginAsync {
  const bodyLimit = deps.bodyLimitBytes ?? DEFAULT_UPLOAD_BODY_LIMIT;
  return async (app) => {
    acceptRawXml(app, bodyLimit);
    app.post<{ Params: { cif: string }; Querystring: SubmitQuery; Body: Buffer | undefined }>(
      '/companies/:cif/invoices',
      {
        bodyLimit,
        config: { swaggerTransform: documentXmlBody, access: { role: 'operator', tenant: companyFromCifParam } },
        schema: {
          tags: ['invoices'],
          summary: 'Submit one invoice XML for a company',
          description:
            '202: stored and queued (created or superseded). 200: the same bytes were already submitted (duplicate), nothing queued. ' +
            '400 malformed XML or DOCTYPE, 404 unknown company, 409 same series/number already accepted by ANAF (EFACT_ERR_CONFLICT) or at ANAF with its answer pending (EFACT_ERR_AWAITING_VERDICT, with Retry-After: send again; taken if the answer is NOK), 413 over the size limit, 422 not an invoice or supplier is not the company.',
          params: { type: 'object', required: ['cif'], properties: { cif: cifParam } },
          querystring,
          response: { 200: accepted, 202: accepted, ...errorResponses(400, 404, 409, 413, 415, 422) },
        },
        preValidation: rejectUnknownQuery(Object.keys(querystring.properties)),
      },
      async (request, reply) => {
        const xml = xmlBodyBytes(request.body);
        const q = request.query;
        const flags: UploadFlags = {};
        if (q.extern !== undefined) flags.extern = q.extern;
        if (q.autofactura !== undefined) flags.autofactura = q.autofactura;
        if (q.executare !== undefined) flags.executare = q.executare;
        const outcome = await deps.intake.submit(
          {
            companyCif: request.params.cif,
            xml,
            origin: { channel: 'api', sourcePath: null, computer: q.computer ?? null, user: q.user ?? null, branch: q.branch ?? null },
            ...(q.series !== undefined ? { series: q.series } : {}),
            ...(q.number !== undefined ? { number: q.number } : {}),
            flags,
            ...(q.b2c !== undefined ? { b2c: q.b2c } : {}),
          },
          { cause: 'intake:api', details: { requestId: String(request.id) } },
        );
        const invoice = outcome.invoice;
        if (outcome.kind !== 'duplicate') deps.engine.wake(invoice.companyId);
        return reply
          .code(outcome.kind === 'duplicate' ? 200 : 202)
          .header('location', `${API_PREFIX}/invoices/${invoice.id}`)
          .send({
            id: invoice.id,
            status: invoice.status,
            outcome: outcome.kind,
            ...(outcome.kind === 'superseded' ? { supersedes: outcome.replaced.id } : {}),
            invoice: serializeInvoice(invoice, normalizeCif(request.params.cif)),
          });
      },
    );
  };
}
