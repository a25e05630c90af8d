/**
 * GET /events — server-sent events for live screens: `invoice` (a state change), `engine` (the
 * engine states of every company, sent when they change) and `resync` (too much changed at once:
 * reload). A comment line every 15 s keeps proxies from closing an idle stream.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { ApiDeps } from '../../deps.js';
import { engineStatesJson, LiveFeed, type FeedMessage } from '../../live-feed.js';
import { rejectUnknownQuery } from '../../query.js';
import { principalOf } from '../../access/route-access.js';
import { inScope } from '../../../domain/access.js';

const HEARTBEAT_MS = 15_000;

export function eventsRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    const feed = new LiveFeed(deps.store, deps.engine, deps.feedIntervalMs ?? 500);
    const open = new Set<ServerResponse>();
    // Open streams would keep the server from closing: end them first.
    app.addHook('preClose', async () => {
      for (const res of open) res.end();
      open.clear();
      feed.stop();
    });
    app.get(
      '/events',
      {
        config: { access: { role: 'viewer', tenant: 'filtered' } },
        schema: {
          tags: ['system'],
          summary: 'Live updates as server-sent events (text/event-stream)',
          description:
            'Events: `hello` {lastEventId} on connect; `invoice` {id, invoiceId, companyId, at, fromStatus, toStatus, cause} for every state change; `engine` [{companyId, cif, environment, phase, sendingEnabled, backoffUntil, ...}] when any engine state changes; `resync` when more changed at once than is worth sending (reload the screen).',
          produces: ['text/event-stream'],
        },
        preValidation: rejectUnknownQuery([]),
      },
      async (request, reply) => {
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        const send = (m: { type: string; data: unknown }): void => {
          res.write(`event: ${m.type}\ndata: ${JSON.stringify(m.data)}\n\n`);
        };
        // A key limited to some companies hears only of those (tenant isolation).
        const principal = principalOf(request);
        const cifOf = new Map<number, string | null>();
        const visible = async (companyId: number): Promise<boolean> => {
          if (principal.companies === null) return true;
          if (!cifOf.has(companyId)) cifOf.set(companyId, (await deps.store.getCompany(companyId))?.cif ?? null);
          const cif = cifOf.get(companyId);
          return cif != null && inScope(principal, cif);
        };
        const engineStates = () => engineStatesJson(deps.engine).filter((s) => inScope(principal, s.cif));
        const sendScoped = (m: FeedMessage): void => {
          if (m.type === 'engine') send({ type: 'engine', data: engineStates() });
          else if (m.type === 'invoice') void visible(m.data.companyId).then((ok) => ok && !res.writableEnded && send(m));
          else send(m);
        };
        open.add(res);
        res.write('retry: 2000\n\n');
        send({ type: 'hello', data: { lastEventId: await deps.store.lastEventId() } });
        send({ type: 'engine', data: engineStates() });
        const unsubscribe = feed.subscribe(sendScoped);
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
        request.raw.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
          open.delete(res);
        });
      },
    );
  };
}
