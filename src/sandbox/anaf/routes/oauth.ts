/**
 * The sandbox's stand-in for ANAF's OAuth server (`/anaf-oauth2/v1/{authorize,token,revoke}`).
 *
 * Two hosts share one issuer:
 * - the sandbox's plain HTTP base URL: authorize redirects straight back with a code (no
 *   certificate to present) — the simple path the demo and most tests use;
 * - with `oauth.tls`, an HTTPS host like logincert.anaf.ro: authorize needs a client
 *   certificate issued by the sandbox CA in the TLS handshake; without one (or with a foreign
 *   one, an unknown client_id or a redirect_uri not registered for it) it redirects back with
 *   `error=access_denied`, as ANAF does.
 *
 * Codes live 60 s on the sandbox clock and work once; access tokens ~90 days, refresh tokens
 * ~365 days; a refresh rotates the refresh token and the old one stops working (as reported of
 * ANAF); revoke ends a token at once.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendJson, settledNow, type SandboxContext } from '../context.js';
import { bodyBytes } from './upload.js';

const DAY = 24 * 3600;

export interface OAuthClientRegistration {
  secret: string;
  /** Redirect URIs registered for the client; any when absent. */
  redirectUris?: string[];
}

export interface OAuthOptions {
  /** Rights of the tokens issued here; default every CIF. */
  rights?: readonly string[] | '*';
  /** Registered clients; when absent any client id and secret are accepted. */
  clients?: Record<string, OAuthClientRegistration>;
  /** Serve authorize/token/revoke also over HTTPS with a client certificate (logincert). */
  tls?: boolean;
  /** Default 90 days. */
  accessSeconds?: number;
  /** Default 365 days. */
  refreshSeconds?: number;
  /** How long an authorization code may wait for its exchange; default 60 s. */
  codeSeconds?: number;
}

interface PendingCode {
  client: string;
  redirectUri: string;
  issuedAt: number;
}

interface RefreshGrant {
  client: string;
  expiresAt: number;
}

function b64url(v: string | Buffer): string {
  return Buffer.from(v).toString('base64url');
}

/** The issuer's memory, shared by the plain and the TLS host. */
export class OAuthIssuer {
  readonly codes = new Map<string, PendingCode>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  readonly key = randomBytes(32);
  /** Counts of token-endpoint grants that succeeded, for tests. */
  readonly granted = { authorization_code: 0, refresh_token: 0 };
  readonly accessSeconds: number;
  readonly refreshSeconds: number;
  readonly codeSeconds: number;

  constructor(
    private readonly ctx: SandboxContext,
    readonly options: OAuthOptions,
  ) {
    this.accessSeconds = options.accessSeconds ?? 90 * DAY;
    this.refreshSeconds = options.refreshSeconds ?? 365 * DAY;
    this.codeSeconds = options.codeSeconds ?? 60;
  }

  private opaque(): string {
    return this.ctx.rng.digits(12) + this.ctx.rng.digits(12) + randomBytes(6).toString('hex');
  }

  jwt(subject: string, seconds: number): string {
    const iat = Math.floor(this.ctx.clock.now().getTime() / 1000);
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify({ sub: subject, iat, exp: iat + seconds, jti: this.opaque() }));
    const sig = createHmac('sha256', this.key).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${sig}`;
  }

  /** Why a client / redirect URI pair is refused at authorize, or null. */
  refusal(client: string, redirectUri: string): string | null {
    const clients = this.options.clients;
    if (clients === undefined) return null;
    const reg = clients[client];
    if (reg === undefined) return 'unknown client_id';
    if (reg.redirectUris !== undefined && !reg.redirectUris.includes(redirectUri)) return 'redirect_uri not registered for this client';
    return null;
  }

  newCode(client: string, redirectUri: string): string {
    const code = this.opaque();
    this.codes.set(code, { client, redirectUri, issuedAt: this.ctx.clock.now().getTime() });
    return code;
  }

  /** The client named by HTTP Basic (or the form), checked against the registry; null → 401. */
  authenticate(request: FastifyRequest, form: URLSearchParams): string | null {
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    let client: string | null;
    let secret: string | null;
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      client = colon < 0 ? decoded : decoded.slice(0, colon);
      secret = colon < 0 ? '' : decoded.slice(colon + 1);
    } else {
      client = form.get('client_id');
      secret = form.get('client_secret');
    }
    if (!client) return null;
    const clients = this.options.clients;
    if (clients !== undefined && clients[client]?.secret !== secret) return null;
    return client;
  }

  issue(reply: FastifyReply, client: string): FastifyReply {
    const now = this.ctx.clock.now().getTime();
    const access = this.jwt(client, this.accessSeconds);
    const refresh = this.jwt(`${client}:refresh`, this.refreshSeconds);
    this.refreshTokens.set(refresh, { client, expiresAt: now + this.refreshSeconds * 1000 });
    this.ctx.tokens.add(access, this.options.rights ?? '*', now + this.accessSeconds * 1000);
    return sendJson(reply, { access_token: access, token_type: 'Bearer', refresh_token: refresh, expires_in: this.accessSeconds });
  }
}

function registerOn(app: FastifyInstance, ctx: SandboxContext, issuer: OAuthIssuer, requireCertificate: boolean): void {
  app.get('/anaf-oauth2/v1/authorize', async (request: FastifyRequest, reply: FastifyReply) => {
    const q = request.query as Record<string, string | undefined>;
    if (!q.redirect_uri) return sendJson(reply, { error: 'invalid_request', error_description: 'redirect_uri missing' }, 400);
    let target: URL;
    try {
      target = new URL(q.redirect_uri);
    } catch {
      return sendJson(reply, { error: 'invalid_request', error_description: 'redirect_uri is not a URL' }, 400);
    }
    const deny = (): FastifyReply => {
      target.searchParams.set('error', 'access_denied');
      if (q.state !== undefined) target.searchParams.set('state', q.state);
      return reply.redirect(target.toString(), 302);
    };
    if (requireCertificate && !(request.raw.socket as TLSSocket).authorized) return deny();
    if (q.response_type !== 'code' || !q.client_id) return deny();
    if (issuer.refusal(q.client_id, q.redirect_uri) !== null) return deny();
    target.searchParams.set('code', issuer.newCode(q.client_id, q.redirect_uri));
    if (q.state !== undefined) target.searchParams.set('state', q.state);
    return reply.redirect(target.toString(), 302);
  });

  app.post('/anaf-oauth2/v1/token', async (request: FastifyRequest, reply: FastifyReply) => {
    const now = settledNow(ctx).getTime();
    const form = new URLSearchParams(bodyBytes(request).toString('utf8'));
    const client = issuer.authenticate(request, form);
    if (!client) return sendJson(reply, { error: 'invalid_client' }, 401);
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const pending = issuer.codes.get(code);
      issuer.codes.delete(code);
      if (pending === undefined || pending.client !== client) return sendJson(reply, { error: 'invalid_grant' }, 400);
      if (now - pending.issuedAt > issuer.codeSeconds * 1000) {
        return sendJson(reply, { error: 'invalid_grant', error_description: 'authorization code expired' }, 400);
      }
      const redirectUri = form.get('redirect_uri');
      if (redirectUri !== null && redirectUri !== pending.redirectUri) return sendJson(reply, { error: 'invalid_grant' }, 400);
      issuer.granted.authorization_code++;
      return issuer.issue(reply, client);
    }
    if (grant === 'refresh_token') {
      const refresh = form.get('refresh_token') ?? '';
      const held = issuer.refreshTokens.get(refresh);
      if (held === undefined || held.client !== client) return sendJson(reply, { error: 'invalid_grant' }, 400);
      issuer.refreshTokens.delete(refresh);
      if (now >= held.expiresAt) return sendJson(reply, { error: 'invalid_grant', error_description: 'refresh token expired' }, 400);
      issuer.granted.refresh_token++;
      return issuer.issue(reply, client);
    }
    return sendJson(reply, { error: 'unsupported_grant_type' }, 400);
  });

  app.post('/anaf-oauth2/v1/revoke', async (request: FastifyRequest, reply: FastifyReply) => {
    const token = new URLSearchParams(bodyBytes(request).toString('utf8')).get('token') ?? '';
    issuer.refreshTokens.delete(token);
    ctx.tokens.revoke(token);
    return reply.code(200).send();
  });
}

/** The simple path on the sandbox's plain HTTP host. */
export function registerOAuthRoutes(app: FastifyInstance, ctx: SandboxContext, issuer: OAuthIssuer): void {
  registerOn(app, ctx, issuer, false);
}

/** The logincert-like host: authorize requires a client certificate from the sandbox CA. */
export function registerCertificateOAuthRoutes(app: FastifyInstance, ctx: SandboxContext, issuer: OAuthIssuer): void {
  registerOn(app, ctx, issuer, true);
}
