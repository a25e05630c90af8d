/**
 * A small stand-in for ANAF's OAuth server (`/anaf-oauth2/v1/{authorize,token,revoke}`):
 * authorize redirects straight back with a code (no certificate to present), token exchanges
 * a code or a refresh token for a JWT-shaped access token and a new refresh token. As
 * reported of ANAF, a refresh rotates the refresh token and the old one stops working.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendJson, settledNow, type SandboxContext } from '../context.js';
import { bodyBytes } from './upload.js';

const ACCESS_SECONDS = 90 * 24 * 3600;

export interface OAuthOptions {
  /** Rights of the tokens issued here; default every CIF. */
  rights?: readonly string[] | '*';
}

function b64url(v: string | Buffer): string {
  return Buffer.from(v).toString('base64url');
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: SandboxContext, options: OAuthOptions = {}): void {
  const key = randomBytes(32);
  const codes = new Set<string>();
  const refreshTokens = new Set<string>();
  const rights = options.rights ?? '*';
  const opaque = (): string => ctx.rng.digits(12) + ctx.rng.digits(12);

  const jwt = (subject: string): string => {
    const iat = Math.floor(ctx.clock.now().getTime() / 1000);
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify({ sub: subject, iat, exp: iat + ACCESS_SECONDS, jti: opaque() }));
    const sig = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${sig}`;
  };

  const issue = (reply: FastifyReply, client: string): FastifyReply => {
    const access = jwt(client);
    const refresh = jwt(`${client}:refresh`);
    refreshTokens.add(refresh);
    ctx.tokens.add(access, rights);
    return sendJson(reply, { access_token: access, token_type: 'Bearer', refresh_token: refresh, expires_in: ACCESS_SECONDS });
  };

  app.get('/anaf-oauth2/v1/authorize', async (request: FastifyRequest, reply: FastifyReply) => {
    const q = request.query as Record<string, string | undefined>;
    if (q.response_type !== 'code' || !q.client_id || !q.redirect_uri) {
      return sendJson(reply, { error: 'invalid_request' }, 400);
    }
    const code = opaque();
    codes.add(code);
    const target = new URL(q.redirect_uri);
    target.searchParams.set('code', code);
    if (q.state !== undefined) target.searchParams.set('state', q.state);
    return reply.redirect(target.toString(), 302);
  });

  app.post('/anaf-oauth2/v1/token', async (request: FastifyRequest, reply: FastifyReply) => {
    settledNow(ctx);
    const form = new URLSearchParams(bodyBytes(request).toString('utf8'));
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const client = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0] : form.get('client_id');
    if (!client) return sendJson(reply, { error: 'invalid_client' }, 401);
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      if (!codes.delete(code)) return sendJson(reply, { error: 'invalid_grant' }, 400);
      return issue(reply, client);
    }
    if (grant === 'refresh_token') {
      const refresh = form.get('refresh_token') ?? '';
      if (!refreshTokens.delete(refresh)) return sendJson(reply, { error: 'invalid_grant' }, 400);
      return issue(reply, client);
    }
    return sendJson(reply, { error: 'unsupported_grant_type' }, 400);
  });

  app.post('/anaf-oauth2/v1/revoke', async (request: FastifyRequest, reply: FastifyReply) => {
    const token = new URLSearchParams(bodyBytes(request).toString('utf8')).get('token') ?? '';
    refreshTokens.delete(token);
    ctx.tokens.revoke(token);
    return reply.code(200).send();
  });
}
