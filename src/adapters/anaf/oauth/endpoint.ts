/**
 * ANAF's OAuth endpoints (logincert.anaf.ro/anaf-oauth2/v1/…): the authorize URL a person opens,
 * and the token and revoke calls (form body, client authenticated with HTTP Basic).
 */
import { EfactError } from '../../../domain/errors.js';
import { oauthHttp } from './https.js';

export const ANAF_OAUTH_BASE_URL = 'https://logincert.anaf.ro';
const PATH = '/anaf-oauth2/v1';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface TokenAnswer {
  accessToken: string;
  refreshToken: string;
  /** Seconds, as ANAF says (expires_in), when it says. */
  expiresIn: number | null;
}

export interface OAuthEndpointOptions {
  baseUrl?: string;
  /** Extra CA certificates (PEM) to trust: the sandbox's. */
  ca?: string;
  timeoutMs?: number;
}

export class AnafOAuthEndpoint {
  readonly baseUrl: string;

  constructor(private readonly options: OAuthEndpointOptions = {}) {
    this.baseUrl = (options.baseUrl ?? ANAF_OAUTH_BASE_URL).replace(/\/+$/, '');
  }

  authorizeUrl(client: Pick<ClientCredentials, 'clientId' | 'redirectUri'>, state: string): string {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      token_content_type: 'jwt',
      state,
    });
    return `${this.baseUrl}${PATH}/authorize?${q}`;
  }

  private async post(client: ClientCredentials, path: string, form: Record<string, string>) {
    const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`, 'utf8').toString('base64');
    return oauthHttp({
      method: 'POST',
      url: `${this.baseUrl}${PATH}/${path}`,
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      ...(this.options.ca !== undefined ? { ca: this.options.ca } : {}),
      timeoutMs: this.options.timeoutMs ?? 30_000,
    });
  }

  private async token(client: ClientCredentials, form: Record<string, string>, what: string): Promise<TokenAnswer> {
    const res = await this.post(client, 'token', form);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(res.body) as Record<string, unknown>;
    } catch {
      // an HTML page (firewall) or nothing: reported below by status
    }
    if (res.status === 200 && typeof body.access_token === 'string' && typeof body.refresh_token === 'string') {
      const expiresIn = Number(body.expires_in);
      return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : null };
    }
    const error = typeof body.error === 'string' ? body.error : null;
    const description = typeof body.error_description === 'string' ? body.error_description : null;
    const said = [error, description].filter(Boolean).join(': ') || `HTTP ${res.status}`;
    if (res.status === 401 || error === 'invalid_client') {
      throw new EfactError('PLATFORM_AUTH', `ANAF refused the OAuth client for ${what} (${said}): check the profile's client_id and client_secret`, {
        httpStatus: res.status,
        details: { oauthError: error ?? 'invalid_client' },
      });
    }
    if (error === 'invalid_grant') {
      throw new EfactError('PLATFORM_AUTH', `ANAF refused the ${what} (${said})`, { httpStatus: res.status, details: { oauthError: error } });
    }
    if (res.status >= 500 || res.status === 0 || error === null) {
      throw new EfactError('PLATFORM_UNAVAILABLE', `ANAF's OAuth host did not complete the ${what} (${said})`, { httpStatus: res.status });
    }
    throw new EfactError('PLATFORM_REFUSED', `ANAF refused the ${what} (${said})`, { httpStatus: res.status, details: { oauthError: error } });
  }

  exchangeCode(client: ClientCredentials, code: string): Promise<TokenAnswer> {
    return this.token(client, { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri }, 'authorization code');
  }

  refresh(client: ClientCredentials, refreshToken: string): Promise<TokenAnswer> {
    return this.token(client, { grant_type: 'refresh_token', refresh_token: refreshToken }, 'refresh token');
  }

  async revoke(client: ClientCredentials, token: string): Promise<void> {
    const res = await this.post(client, 'revoke', { token });
    if (res.status >= 400) throw new EfactError('PLATFORM_REFUSED', `ANAF did not revoke the token (HTTP ${res.status})`, { httpStatus: res.status });
  }
}

/** The `exp` claim (seconds) of a JWT, or null when the token is not a readable JWT. */
export function jwtExpiry(token: string): number | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp : null;
  } catch {
    return null;
  }
}
