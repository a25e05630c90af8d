/** GET /servers — the server registry, read-only: which instances run, with their lease and work done. */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { isLive } from '../../../domain/server-registry.js';
import { errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';

const time = { type: 'string', format: 'date-time' } as const;

const server = {
  type: 'object',
  required: ['serverId', 'state', 'host', 'pid', 'filter', 'startedAt', 'heartbeatAt', 'leaseUntil', 'stoppedAt', 'claimed', 'uploaded', 'current'],
  properties: {
    serverId: { type: 'integer' },
    state: { type: 'string', enum: ['live', 'expired', 'stopped'], description: 'expired: the lease ran out without a clean stop (crash, lost connection)' },
    host: { type: 'string' },
    pid: { type: 'integer' },
    filter: { type: ['string', 'null'], description: "The instance's partition filter (FiltruSQL); null: it takes what no live filter covers" },
    startedAt: time,
    heartbeatAt: time,
    leaseUntil: time,
    stoppedAt: { anyOf: [time, { type: 'null' }] },
    claimed: { type: 'integer', description: 'Invoices claimed for upload since this registration, as of its last heartbeat' },
    uploaded: { type: 'integer', description: 'Uploads the platform took since this registration, as of its last heartbeat' },
    current: { type: 'boolean', description: 'This is the instance answering the request' },
  },
} as const;

const response = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: server } },
} as const;

export function listServersRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/servers',
      {
        config: { access: { role: 'viewer', tenant: 'all' } },
        schema: { tags: ['system'], summary: 'Registered server instances (serverId, lease, filter, work done)', response: { 200: response, ...errorResponses() } },
        preValidation: rejectUnknownQuery([]),
      },
      async () => {
        const registry = deps.servers;
        if (registry === undefined) return { items: [] };
        const now = new Date();
        const mine = registry.currentServer();
        const list = await registry.listServers();
        return {
          items: list.map((r) => ({
            serverId: r.serverId,
            state: r.stoppedAt !== null ? 'stopped' : isLive(r, now) ? 'live' : 'expired',
            host: r.host,
            pid: r.pid,
            filter: r.filter,
            startedAt: r.startedAt.toISOString(),
            heartbeatAt: r.heartbeatAt.toISOString(),
            leaseUntil: r.leaseUntil.toISOString(),
            stoppedAt: r.stoppedAt?.toISOString() ?? null,
            claimed: r.claimed,
            uploaded: r.uploaded,
            current: mine !== null && mine.serverId === r.serverId && mine.fencingToken === r.fencingToken,
          })),
        };
      },
    );
  };
}
