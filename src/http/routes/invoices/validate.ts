/**
 * POST /companies/{cif}/validate — checks one invoice XML (raw body, like submit) against
 * EN 16931 and CIUS-RO with the validator intake uses; nothing is stored or sent.
 */
import type { FastifyPluginAsync } from 'fastify';
import { DEFAULT_UPLOAD_BODY_LIMIT, type ApiDeps } from '../../deps.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { companyFromCifParam } from '../../access/route-access.js';
import { acceptRawXml, xmlBodyBytes, xmlBodyDoc } from '../../xml-body.js';

const finding = {
  type: 'object',
  required: ['ruleId', 'severity', 'message', 'location', 'line'],
  properties: {
    ruleId: { type: 'string', description: 'e.g. BR-RO-010 (a rule), UBL-XSD-ORDER (UBL 2.1 structure)' },
    severity: { type: 'string', enum: ['fatal', 'warning'] },
    message: { type: 'string', description: "ANAF's text" },
    location: { type: 'string', description: 'XPath of the element' },
    line: { type: 'integer', description: 'Line in the XML (0 when unknown)' },
  },
} as const;

const answer = {
  type: 'object',
  required: ['valid', 'findings', 'ms'],
  properties: {
    valid: { type: 'boolean', description: 'No fatal finding' },
    findings: { type: 'array', items: finding },
    ms: { type: 'number', description: 'Time spent validating, milliseconds' },
  },
} as const;

const documentXmlBody = xmlBodyDoc('The invoice XML (UBL Invoice or CreditNote), at most 10 MB, no DOCTYPE');

export function validateInvoiceRoute(deps: ApiDeps): FastifyPluginAsync {
  const bodyLimit = deps.bodyLimitBytes ?? DEFAULT_UPLOAD_BODY_LIMIT;
  return async (app) => {
    acceptRawXml(app, bodyLimit);
    app.post<{ Params: { cif: string }; Body: Buffer | undefined }>(
      '/companies/:cif/validate',
      {
        bodyLimit,
        config: { swaggerTransform: documentXmlBody, access: { role: 'operator', tenant: companyFromCifParam } },
        schema: {
          tags: ['invoices'],
          summary: 'Validate one invoice XML (EN 16931 + CIUS-RO) without submitting it',
          description: '200 with the findings (valid: no fatal finding). 400 malformed XML or DOCTYPE, 404 unknown company, 413 over the size limit.',
          params: { type: 'object', required: ['cif'], properties: { cif: cifParam } },
          response: { 200: answer, ...errorResponses(400, 404, 413, 415, 422) },
        },
        preValidation: rejectUnknownQuery([]),
      },
      async (request, reply) => {
        await deps.intake.resolveCompany(request.params.cif);
        const r = deps.intake.check(xmlBodyBytes(request.body));
        return reply.code(200).send({ valid: r.valid, findings: r.findings, ms: Math.round(r.ms * 100) / 100 });
      },
    );
  };
}
