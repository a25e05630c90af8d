/** GET /health — liveness plus a one-line picture of the engine, for monitors and the dashboard. */
import os from 'node:os';
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { ENGINE_PHASES, summariseEngine } from '../../serialize.js';
import { errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import type { RouteAccess } from '../../access/route-access.js';

const access: RouteAccess = { role: 'viewer', tenant: 'public' };

const int = { type: 'integer' } as const;

const response = {
  type: 'object',
  required: ['status', 'version', 'time', 'engine'],
  properties: {
    status: { type: 'string', enum: ['ok'] },
    version: { type: 'string' },
    time: { type: 'string', format: 'date-time' },
    instance: {
      type: 'object',
      description: "This instance: the manuals' ServerID, the seats licensed, the machine",
      required: ['serverId', 'seats', 'host'],
      properties: { serverId: int, seats: int, host: { type: 'string' } },
    },
    engine: {
      type: 'object',
      required: ['companies', 'phases', 'withErrors'],
      properties: {
        companies: int,
        phases: {
          type: 'object',
          required: [...ENGINE_PHASES],
          properties: Object.fromEntries(ENGINE_PHASES.map((p) => [p, int])),
        },
        withErrors: { type: 'integer', description: 'Companies whose last engine pass ended in an error' },
      },
    },
  },
} as const;

export function healthRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/health',
      {
        schema: { tags: ['system'], summary: 'Health and engine summary', response: { 200: response, ...errorResponses() } },
        config: { access },
        preValidation: rejectUnknownQuery([]),
      },
      async () => ({
        status: 'ok' as const,
        version: deps.version,
        time: new Date().toISOString(),
        ...(deps.instance ? { instance: { ...deps.instance, host: os.hostname() } } : {}),
        engine: summariseEngine(deps.engine.states()),
      }),
    );
  };
}
