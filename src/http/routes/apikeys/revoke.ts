/** DELETE /apikeys/{id} — revoke an API key at once (the record stays, for the record). */
import type { FastifyPluginAsync } from 'fastify';
import { EfactError } from '../../../domain/errors.js';
import type { ApiDeps } from '../../deps.js';
import { errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { apiKeySchema, serializeApiKey } from './schema.js';

export function revokeApiKeyRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.delete<{ Params: { id: number } }>(
      '/apikeys/:id',
      {
        config: { access: { role: 'admin', tenant: 'all' } },
        schema: {
          tags: ['access'],
          summary: 'Revoke an API key',
          params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } },
          response: { 200: apiKeySchema, ...errorResponses(400, 401, 403, 404) },
        },
        preValidation: rejectUnknownQuery([]),
      },
      async (request) => {
        const key = await deps.store.revokeApiKey(request.params.id, (deps.now ?? (() => new Date()))());
        if (key === null) throw new EfactError('NOT_FOUND', `no API key with id ${request.params.id}`, { details: { id: request.params.id } });
        return serializeApiKey(key);
      },
    );
  };
}
