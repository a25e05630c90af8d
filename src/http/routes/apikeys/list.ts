/** GET /apikeys — every API key (never the secret: only its first characters). */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { apiKeySchema, serializeApiKey } from './schema.js';

export function listApiKeysRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/apikeys',
      {
        config: { access: { role: 'admin', tenant: 'all' } },
        schema: {
          tags: ['access'],
          summary: 'API keys',
          response: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: apiKeySchema } } }, ...errorResponses(401, 403) },
        },
        preValidation: rejectUnknownQuery([]),
      },
      async () => ({ items: (await deps.store.listApiKeys()).map(serializeApiKey) }),
    );
  };
}
