import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../adapters/clock/manual-clock.js';
import { oauthHttp } from '../../adapters/anaf/oauth/https.js';
import { startAnafSandbox, type AnafSandbox } from './server.js';

const REDIRECT = 'http://127.0.0.1:9/cb';
const basic = `Basic ${Buffer.from('client-1:s3cret').toString('base64')}`;
let sandbox: AnafSandbox;
const clock = new ManualClock(Date.UTC(2026, 10, 1, 9, 0, 0));

beforeAll(async () => {
  sandbox = await startAnafSandbox({
    clock,
    tokens: {},
    oauth: { tls: true, clients: { 'client-1': { secret: 's3cret', redirectUris: [REDIRECT] } } },
  });
});
afterAll(() => sandbox.close());

function authorizeUrl(params: Record<string, string>): string {
  const q = new URLSearchParams({ response_type: 'code', client_id: 'client-1', redirect_uri: REDIRECT, token_content_type: 'jwt', state: 'st-1', ...params });
  return `${sandbox.oauth.tls!.url}/anaf-oauth2/v1/authorize?${q}`;
}

async function authorize(cert: { cert: string; key: string } | null, params: Record<string, string> = {}): Promise<URL> {
  const tls = sandbox.oauth.tls!;
  const res = await oauthHttp({ method: 'GET', url: authorizeUrl(params), ca: tls.ca, ...(cert ?? {}) });
  expect(res.status).toBe(302);
  return new URL(String(res.headers.location));
}

async function token(form: Record<string, string>, auth = basic) {
  const res = await oauthHttp({
    method: 'POST',
    url: `${sandbox.oauth.tls!.url}/anaf-oauth2/v1/token`,
    ca: sandbox.oauth.tls!.ca,
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: JSON.parse(res.body || '{}') as Record<string, string | number> };
}

async function apiStatus(access: string): Promise<number> {
  const res = await fetch(`${sandbox.url}/test/FCTEL/rest/stareMesaj?id_incarcare=1`, { headers: { authorization: `Bearer ${access}` } });
  return res.status;
}

describe('sandbox OAuth over TLS with a client certificate (logincert)', () => {
  it('redirects with a code and the state when the sandbox CA’s client certificate is presented', async () => {
    const back = await authorize(sandbox.oauth.tls!.clientCertificate);
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.get('code')).toMatch(/\w{20,}/);
  });

  it('answers access_denied without a certificate, with a foreign one, or for a malformed request', async () => {
    for (const cert of [null, sandbox.oauth.tls!.strangerCertificate]) {
      const back = await authorize(cert);
      expect(back.searchParams.get('error')).toBe('access_denied');
      expect(back.searchParams.get('state')).toBe('st-1');
      expect(back.searchParams.has('code')).toBe(false);
    }
    const client = sandbox.oauth.tls!.clientCertificate;
    expect((await authorize(client, { client_id: 'nobody' })).searchParams.get('error')).toBe('access_denied');
    expect((await authorize(client, { redirect_uri: 'http://127.0.0.1:9/elsewhere' })).searchParams.get('error')).toBe('access_denied');
  });

  it('exchanges a code once within 60 s, with the client authenticated by HTTP Basic', async () => {
    const code = (await authorize(sandbox.oauth.tls!.clientCertificate)).searchParams.get('code')!;
    expect((await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, `Basic ${Buffer.from('client-1:wrong').toString('base64')}`)).status).toBe(401);
    // a refused client does not spend the code
    const code2 = code;
    const ok = await token({ grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 90 * 86400 });
    expect(await apiStatus(String(ok.body.access_token))).toBe(200);
    expect((await token({ grant_type: 'authorization_code', code: code2 })).status).toBe(400);

    const late = (await authorize(sandbox.oauth.tls!.clientCertificate)).searchParams.get('code')!;
    clock.advance(61_000);
    expect((await token({ grant_type: 'authorization_code', code: late })).body.error_description).toBe('authorization code expired');
  });

  it('rotates refresh tokens, expires tokens on the sandbox clock, and revokes', async () => {
    const code = (await authorize(sandbox.oauth.tls!.clientCertificate)).searchParams.get('code')!;
    const first = (await token({ grant_type: 'authorization_code', code })).body;
    const second = await token({ grant_type: 'refresh_token', refresh_token: String(first.refresh_token) });
    expect(second.status).toBe(200);
    expect((await token({ grant_type: 'refresh_token', refresh_token: String(first.refresh_token) })).status).toBe(400);

    clock.advance(91 * 86400_000);
    expect(await apiStatus(String(second.body.access_token))).toBe(401);
    const third = await token({ grant_type: 'refresh_token', refresh_token: String(second.body.refresh_token) });
    expect(third.status).toBe(200);
    expect(await apiStatus(String(third.body.access_token))).toBe(200);

    clock.advance(366 * 86400_000);
    expect((await token({ grant_type: 'refresh_token', refresh_token: String(third.body.refresh_token) })).body.error_description).toBe('refresh token expired');

    const code2 = (await authorize(sandbox.oauth.tls!.clientCertificate)).searchParams.get('code')!;
    const fresh = (await token({ grant_type: 'authorization_code', code: code2 })).body;
    const revoke = await oauthHttp({
      method: 'POST',
      url: `${sandbox.oauth.tls!.url}/anaf-oauth2/v1/revoke`,
      ca: sandbox.oauth.tls!.ca,
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: String(fresh.access_token) }).toString(),
    });
    expect(revoke.status).toBe(200);
    expect(await apiStatus(String(fresh.access_token))).toBe(401);
  });
});
