/**
 * A company's secrets, InvoiCy style (see server/company-secrets.ts for the formats):
 *   POST /companies/{cif}/partner-key          — a new 32-character partner key, shown once (admin);
 *   PUT  /companies/{cif}/certificate-password — the certificate password, in clear or AES-encrypted
 *                                                with the partner key; stored in the vault, never returned;
 *   GET  /companies/{cif}/secrets              — what is set, masked.
 * The first key is handed out by POST /companies itself.
 */
import type { FastifyPluginAsync } from 'fastify';
import { EfactError } from '../../../domain/errors.js';
import type { SecretVault } from '../../../ports/secrets.js';
import type { ApiDeps } from '../../deps.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { rejectUnknownBody } from '../../body.js';
import { companyFromCifParam } from '../../access/route-access.js';
import {
  MAX_ENCRYPTED_PASSWORD,
  PASSWORD_ENCRYPTIONS,
  companySecrets,
  setCertificatePassword,
  type PasswordEncryption,
} from '../../../server/company-secrets.js';
import { issuePartnerKey } from '../../../secrets/partner-key.js';
import { companyAdmin } from './admin.js';

const params = { type: 'object', required: ['cif'], properties: { cif: cifParam } } as const;
const nullableDate = { type: ['string', 'null'], format: 'date-time' } as const;

export const CompanySecretsSchema = {
  type: 'object',
  required: ['partnerKey', 'partnerKeyIssuedAt', 'certificatePassword', 'certificatePasswordSetAt'],
  properties: {
    partnerKey: { type: ['string', 'null'], description: 'Masked (first and last 4 characters); null when none was issued' },
    partnerKeyIssuedAt: nullableDate,
    certificatePassword: { type: ['string', 'null'], description: '"••••" when one is stored, else null; never the value' },
    certificatePasswordSetAt: nullableDate,
  },
} as const;

const partnerKeyProperty = {
  type: 'string',
  minLength: 32,
  maxLength: 32,
  description:
    "The company's partner key (32 characters), shown this once: keep it to send the certificate password AES-encrypted (PUT /companies/{cif}/certificate-password)",
} as const;

const passwordBody = {
  type: 'object',
  required: ['password'],
  properties: {
    password: {
      type: 'string',
      minLength: 1,
      maxLength: MAX_ENCRYPTED_PASSWORD,
      description:
        'The certificate password in clear, or with encryption "aes-256-gcm": base64 of IV (12 random bytes) ‖ ciphertext ‖ GCM tag (16 bytes), ' +
        "AES-256-GCM whose key is the 32 characters of the company's partner key taken as bytes, no additional data",
    },
    encryption: { type: 'string', enum: [...PASSWORD_ENCRYPTIONS], default: 'none', description: 'How password is sent (InvoiCy: MetodoCriptografiaSenha)' },
  },
} as const;

/** The vault, or a clear 404 on a server built without one. */
export function vaultOf(deps: ApiDeps): SecretVault {
  if (deps.vault === undefined) throw new EfactError('NOT_FOUND', 'this server keeps no secrets vault');
  return deps.vault;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function companySecretRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { cif: string } }>(
      '/companies/:cif/partner-key',
      {
        config: { access: { role: 'admin', tenant: companyFromCifParam }, secretAnswer: true },
        schema: {
          tags: ['companies'],
          summary: "Issue the company's partner key again (shown once)",
          description: 'The earlier key stops working at once: passwords encrypted with it are refused from now on. The stored certificate password is kept.',
          params,
          response: { 201: { type: 'object', required: ['partnerKey'], properties: { partnerKey: partnerKeyProperty } }, ...errorResponses(400, 401, 403, 404) },
        },
        preValidation: rejectUnknownQuery([]),
      },
      async (request, reply) => {
        const company = await companyAdmin(deps).find(request.params.cif);
        const partnerKey = await issuePartnerKey(vaultOf(deps), company.cif);
        return reply.code(201).header('cache-control', 'no-store').send({ partnerKey });
      },
    );

    app.put<{ Params: { cif: string }; Body: { password: string; encryption?: PasswordEncryption } }>(
      '/companies/:cif/certificate-password',
      {
        config: { access: { role: 'operator', tenant: companyFromCifParam } },
        schema: {
          tags: ['companies'],
          summary: "Store the company's certificate password (write only)",
          description:
            'Sent in clear over HTTPS, or AES-encrypted with the partner key (encryption "aes-256-gcm"). Kept encrypted in the vault, never returned; a wrong key or a changed byte is refused with 400.',
          params,
          body: passwordBody,
          response: { 200: CompanySecretsSchema, ...errorResponses(400, 401, 403, 404) },
        },
        preValidation: [rejectUnknownQuery([]), rejectUnknownBody(Object.keys(passwordBody.properties))],
      },
      async (request) => {
        const company = await companyAdmin(deps).find(request.params.cif);
        const vault = vaultOf(deps);
        await setCertificatePassword(vault, company.cif, request.body);
        return serialize(await companySecrets(vault, company.cif));
      },
    );

    app.get<{ Params: { cif: string } }>(
      '/companies/:cif/secrets',
      {
        config: { access: { role: 'operator', tenant: companyFromCifParam } },
        schema: {
          tags: ['companies'],
          summary: "What is set of the company's secrets, masked",
          params,
          response: { 200: CompanySecretsSchema, ...errorResponses(400, 401, 403, 404) },
        },
        preValidation: rejectUnknownQuery([]),
      },
      async (request) => {
        const company = await companyAdmin(deps).find(request.params.cif);
        return serialize(await companySecrets(vaultOf(deps), company.cif));
      },
    );
  };
}

function serialize(v: Awaited<ReturnType<typeof companySecrets>>) {
  return {
    partnerKey: v.partnerKey,
    partnerKeyIssuedAt: iso(v.partnerKeyIssuedAt),
    certificatePassword: v.certificatePassword,
    certificatePasswordSetAt: iso(v.certificatePasswordSetAt),
  };
}

export { partnerKeyProperty };
