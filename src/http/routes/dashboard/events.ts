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
        open.add(res);
        res.write('retry: 2000\n\n');
        send({ type: 'hello', data: { lastEventId: await deps.store.lastEventId() } });
        send({ type: 'engine', data: engineStatesJson(deps.engine) });
        const unsubscribe = feed.subscribe((m: FeedMessage) => send(m));
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
