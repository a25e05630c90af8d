/**
 * Invoice uploads arrive as the raw XML bytes, never parsed or decoded here: intake hashes the
 * exact bytes (duplicate detection) and runs the one safe parser (no DTDs, size limit) itself.
 */
import type { FastifyInstance } from 'fastify';

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
