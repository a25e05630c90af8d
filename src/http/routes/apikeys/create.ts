/** POST /apikeys — create an API key; the answer holds the key, shown this once only. */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { rejectUnknownBody } from '../../body.js';
import { createApiKey } from '../../../server/api-keys.js';
import { apiKeySchema, serializeApiKey } from './schema.js';

const body = {
  type: 'object',
  required: ['name', 'role'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64 },
    role: { type: 'string', enum: ['viewer', 'operator', 'admin'] },
    companies: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 20 }, description: 'CIFs the key reaches; absent or empty: every company' },
  },
} as const;

export function createApiKeyRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { name: string; role: string; companies?: string[] } }>(
      '/apikeys',
      {
        config: { access: { role: 'admin', tenant: 'all' }, secretAnswer: true },
        schema: {
          tags: ['access'],
          summary: 'Create an API key (shown once)',
          body,
          response: {
            201: {
              type: 'object',
              required: ['key', 'apiKey'],
              properties: { key: { type: 'string', description: 'The key itself: store it now, it is not shown again' }, apiKey: apiKeySchema },
            },
            ...errorResponses(400, 401, 403, 404, 409),
          },
        },
        preValidation: [rejectUnknownQuery([]), rejectUnknownBody(Object.keys(body.properties))],
      },
      async (request, reply) => {
        const { key, record } = await createApiKey(deps.store, request.body);
        return reply.code(201).header('cache-control', 'no-store').send({ key, apiKey: serializeApiKey(record) });
      },
    );
  };
}
