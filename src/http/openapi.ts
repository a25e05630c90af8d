/**
 * OpenAPI 3 generation. @fastify/swagger collects the schema of every route registered after it,
 * so it must be registered before the routes; the document is served by routes/openapi/get.ts.
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

export async function registerOpenApi(
  app: FastifyInstance,
  version: string,
  /** Adds what the routes declared about access (x-efact-access, security, Idempotency-Key). */
  annotate: (doc: any) => any = (doc) => doc,
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Efact REST API',
        version,
        description:
          "Submit invoice XML for a company, follow it through ANAF's RO e-Factura, and fetch the stored XML and ANAF's archived answer. Every error answer is `{ error: { code, kind, message, details? } }` with a stable EFACT_ERR_* code. Once an API key exists, every route but health and this document needs one (`Authorization: Bearer <key>` or `X-API-Key`); `x-efact-access` on each operation gives the least role and whose data it touches.",
      },
      tags: [
        { name: 'system', description: 'Health and this document' },
        { name: 'companies', description: 'Tenants and what the engine is doing for them' },
        { name: 'invoices', description: 'Outgoing invoices' },
        { name: 'access', description: 'API keys and who is calling' },
      ],
    },
    transformObject: (doc) => annotate('openapiObject' in doc ? doc.openapiObject : doc.swaggerObject),
    // Shared schemas keep their $id as the component name (Invoice, ApiError...) instead of def-N.
    refResolver: {
      buildLocalReference(json, _baseUri, _fragment, i) {
        return typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`;
      },
    },
  });
}
