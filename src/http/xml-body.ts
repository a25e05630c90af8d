/**
 * Invoice uploads arrive as the raw XML bytes, never parsed or decoded here: intake hashes the
 * exact bytes (duplicate detection) and runs the one safe parser (no DTDs, size limit) itself.
 */
import type { FastifyInstance } from 'fastify';
import type { SwaggerTransform } from '@fastify/swagger';
import { EfactError } from '../domain/errors.js';

/** What ERPs and curl send XML as; octet-stream covers tools that do not guess types. */
export const XML_CONTENT_TYPES = ['application/xml', 'text/xml', 'text/plain', 'application/octet-stream'] as const;

/**
 * Replaces, within the calling plugin's scope only, every body parser with a raw-buffer one for
 * the XML types, so JSON or forms on the upload route get a 415 rather than being half-understood.
 */
export function acceptRawXml(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...XML_CONTENT_TYPES], { parseAs: 'buffer', bodyLimit }, (_request, body, done) => {
    done(null, body);
  });
}

/**
 * The raw body as bytes (a view, no copy); an empty or missing body is refused with the types to
 * send. The body is a Buffer, which JSON-schema validation cannot describe, so fastify never
 * validates it: this is the check.
 */
export function xmlBodyBytes(body: unknown): Uint8Array {
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new EfactError('INVALID_REQUEST', `send the invoice XML as the request body, with Content-Type ${XML_CONTENT_TYPES.join(', ')}`);
  }
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

/** The OpenAPI description of a raw-XML body (declared for the document only; see xmlBodyBytes). */
export function xmlBodyDoc(description: string): SwaggerTransform {
  return ({ schema, url }) => ({
    url,
    schema: {
      ...schema,
      consumes: [...XML_CONTENT_TYPES],
      body: { type: 'string', format: 'binary', description },
    },
  });
}
