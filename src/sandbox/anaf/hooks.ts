/**
 * What happens to every request before its route runs: counting, injected faults, the
 * per-minute limit. And afterwards: garbling, when a malformed answer was drawn.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { queryOf, sendGeneralError, sendJson, sendXml, type SandboxContext } from './context.js';
import type { SandboxEndpoint } from './counters.js';
import { drawFaults, garble } from './faults.js';
import { statusError, uploadRefused } from './responses.js';
import { DOWNLOAD, DOWNLOAD_TITLE, firewallPage, LIST, LIST_TITLE, STATUS, UPLOAD } from './texts.js';

const REST_ENDPOINTS: ReadonlySet<string> = new Set([
  'upload',
  'uploadb2c',
  'stareMesaj',
  'listaMesajeFactura',
  'listaMesajePaginatieFactura',
  'descarcare',
  'validare',
  'transformare',
]);

/** Which endpoint a route serves; undefined for unknown paths. */
export function endpointOf(routeUrl: string | undefined): SandboxEndpoint | undefined {
  if (routeUrl === undefined) return undefined;
  if (routeUrl === '/api/validate/signature') return 'validateSignature';
  if (routeUrl.startsWith('/anaf-oauth2/')) return 'oauth';
  const name = /^\/(?:test|prod)\/FCTEL\/rest\/([A-Za-z]+)/.exec(routeUrl)?.[1];
  return name !== undefined && REST_ENDPOINTS.has(name) ? (name as SandboxEndpoint) : undefined;
}

/** The endpoint's own daily-limit answer, for an injected quota fault; false when it has none. */
function sendQuotaAnswer(ctx: SandboxContext, endpoint: SandboxEndpoint, request: FastifyRequest, reply: FastifyReply): boolean {
  const limits = ctx.quotas.limits;
  switch (endpoint) {
    case 'upload':
    case 'uploadb2c':
      void sendXml(reply, uploadRefused(ctx.clock.now(), [UPLOAD.raspQuota(limits.rasp, queryOf(request).cif ?? '')]));
      return true;
    case 'stareMesaj':
      void sendXml(reply, statusError(STATUS.quota(limits.status)));
      return true;
    case 'listaMesajeFactura':
      void sendJson(reply, { eroare: LIST.quota(limits.list), titlu: LIST_TITLE });
      return true;
    case 'listaMesajePaginatieFactura':
      void sendJson(reply, { eroare: LIST.quota(limits.pagedList), titlu: LIST_TITLE }, ctx.pagedListErrorStatus);
      return true;
    case 'descarcare':
      void sendJson(reply, { eroare: DOWNLOAD.quota(limits.download), titlu: DOWNLOAD_TITLE });
      return true;
    default:
      return false;
  }
}

async function waitReal(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    // closing: stop waiting
  }
}

export function registerHooks(app: FastifyInstance, ctx: SandboxContext): void {
  const garbled = new WeakSet<FastifyRequest>();

  app.addHook('onRequest', async (request, reply) => {
    const endpoint = endpointOf(request.routeOptions.url);
    if (endpoint === undefined) return;
    ctx.counters.countCall(endpoint);
    const draw = drawFaults(ctx.faults, endpoint, ctx.rng);
    if (draw.latencyMs > 0) {
      ctx.counters.countFault('latency');
      await waitReal(draw.latencyMs, ctx.closing);
    }
    // The firewall and the network act before the platform counts anything.
    if (draw.action === 'drop') {
      ctx.counters.countFault('drop');
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    if (draw.action === 'firewall') {
      ctx.counters.countFault('firewall');
      return reply.code(200).type('text/html; charset=utf-8').send(firewallPage(ctx.rng.digits(20)));
    }
    if (endpoint !== 'oauth' && !ctx.quotas.takeMinute()) {
      ctx.counters.countQuotaAnswer('perMinute');
      // NOTE: ANAF does not document its per-minute answer; HTTP 429 is what integrators report.
      return sendGeneralError(ctx, reply, 429, `Limita de ${ctx.quotas.limits.perMinute} apeluri pe minut a fost depasita`);
    }
    if (draw.action === 'error') {
      ctx.counters.countFault('error');
      return sendGeneralError(ctx, reply, 500, UPLOAD.technical(ctx.rng.digits(3)));
    }
    if (draw.action === 'minuteQuota' && endpoint !== 'oauth') {
      ctx.counters.countFault('quota');
      return sendGeneralError(ctx, reply, 429, `Limita de ${ctx.quotas.limits.perMinute} apeluri pe minut a fost depasita`);
    }
    if (draw.action === 'quota' && sendQuotaAnswer(ctx, endpoint, request, reply)) {
      ctx.counters.countFault('quota');
      return reply;
    }
    if (draw.action === 'malformed') {
      ctx.counters.countFault('malformed');
      garbled.add(request);
    }
    return undefined;
  });

  app.addHook('onSend', async (request, _reply, payload) => {
    if (!garbled.has(request) || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload;
    return garble(payload);
  });
}
