/**
 * GET /oauth/callback — where ANAF sends the person's browser after authorize (the profile's
 * redirect_uri must name this address): checks the state, exchanges the code within ANAF's
 * 60-second window, stores both tokens encrypted. Answers a small HTML page for the person.
 * Must stay reachable without an API key: the browser coming back from ANAF carries none; the
 * one-time state is what authenticates it.
 */
import type { FastifyPluginAsync } from 'fastify';
import { isEfactError } from '../../../domain/errors.js';
import type { ApiDeps } from '../../deps.js';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1><p>${escape(text)}</p></body></html>`;
}

export function oauthCallbackRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: Record<string, string | undefined> }>(
      '/oauth/callback',
      {
        config: { access: { role: 'viewer', tenant: 'public' } },
        schema: {
          tags: ['auth'],
          summary: "ANAF OAuth redirect target (a person's browser comes back here)",
          querystring: {
            type: 'object',
            properties: { code: { type: 'string', maxLength: 4096 }, state: { type: 'string', maxLength: 256 }, error: { type: 'string', maxLength: 200 }, error_description: { type: 'string', maxLength: 1000 } },
          },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').type('text/html; charset=utf-8');
        if (deps.oauth === undefined) return reply.code(404).send(page('Efact: not set up', 'ANAF OAuth is not set up on this server.'));
        const q = request.query;
        try {
          const result = await deps.oauth.completeLogin({ state: q.state, code: q.code, error: q.error, error_description: q.error_description });
          return reply
            .code(200)
            .send(page('Efact: ANAF authorisation saved', `OAuth profile ${result.profile}: access valid until ${result.accessExpiresAt.toISOString().slice(0, 10)}, renewal possible until ${result.refreshExpiresAt.toISOString().slice(0, 10)}. You may close this window.`));
        } catch (e) {
          const message = isEfactError(e) ? e.message : 'internal error';
          const status = isEfactError(e) ? (e.code === 'PLATFORM_AUTH' ? 403 : e.httpCode) : 500;
          return reply.code(status).send(page('Efact: ANAF authorisation failed', message));
        }
      },
    );
  };
}
