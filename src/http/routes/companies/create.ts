/**
 * POST /companies — add a company (admin with a key for all companies). As InvoiCy does, the
 * answer holds the company's new 32-character partner key, this once only (an Idempotency-Key
 * repeat gets 409, not the key); with it a partner may send the certificate password encrypted.
 */
import type { FastifyPluginAsync } from 'fastify';
import { API_PREFIX, type ApiDeps } from '../../deps.js';
import { CompanySchema, cifParam, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { rejectUnknownBody } from '../../body.js';
import type { NewCompanyInput } from '../../../domain/company-fields.js';
import { issuePartnerKey } from '../../../secrets/partner-key.js';
import { partnerKeyProperty } from './secrets.js';
import { companyAdmin, companyFields, companyJson } from './admin.js';

type Body = NewCompanyInput;

/** The Company, plus the partner key shown once (absent on a server without a vault). */
const created = {
  type: 'object',
  required: CompanySchema.required,
  properties: { ...CompanySchema.properties, partnerKey: partnerKeyProperty },
} as const;

const body = {
  type: 'object',
  required: ['cif', 'shortName', 'name'],
  properties: { cif: { ...cifParam, description: 'CIF with or without RO; checked with the Romanian check digit, stored without RO' }, ...companyFields },
} as const;

export function createCompanyRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: Body }>(
      '/companies',
      {
        config: { access: { role: 'admin', tenant: 'all' }, secretAnswer: true },
        schema: {
          tags: ['companies'],
          summary: 'Add a company',
          description:
            'The running engine picks it up within 5 s. A company removed before comes back with its invoices. 409 when the CIF or the short name is taken. ' +
            'The answer holds `partnerKey`, the company\'s 32-character key for sending its certificate password encrypted: shown this once, never again (POST /companies/{cif}/partner-key issues a new one).',
          body,
          response: { 201: created, ...errorResponses(400, 401, 403, 409) },
        },
        preValidation: [rejectUnknownQuery([]), rejectUnknownBody(Object.keys(body.properties))],
      },
      async (request, reply) => {
        const company = await companyAdmin(deps).add(request.body);
        deps.engine.wake();
        // Registered through the API: a new key every time (adding a removed company again too).
        const partnerKey = deps.vault === undefined ? undefined : await issuePartnerKey(deps.vault, company.cif);
        return reply
          .code(201)
          .header('location', `${API_PREFIX}/companies/${company.cif}`)
          .header('cache-control', 'no-store')
          .send({ ...(await companyJson(deps, company)), ...(partnerKey === undefined ? {} : { partnerKey }) });
      },
    );
  };
}
