/** GET /openapi.json — the OpenAPI 3 document generated from every route's schema. */
import type { FastifyPluginAsync } from 'fastify';
import { errorResponses } from '../../schemas.js';

export function openApiRoute(): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/openapi.json',
      {
        config: { access: { role: 'viewer', tenant: 'public' } },
        schema: {
          tags: ['system'],
          summary: 'This API described as OpenAPI 3',
          response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses() },
        },
      },
      async () => app.swagger(),
    );
  };
}
