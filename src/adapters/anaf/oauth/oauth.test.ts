import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock.js';
import type { SqlStore } from '../../store/sql-store.js';
import { startAnafSandbox, type AnafSandbox } from '../../../sandbox/anaf/server.js';
import { SqlVault } from '../../../secrets/sql-vault.js';
import { rotateMasterKey } from '../../../secrets/rotate.js';
import { storeKinds } from '../../../secrets/testing/stores.js';
import { AnafOAuthEndpoint } from './endpoint.js';
import { OAuthProfileRepository } from './profiles.js';
import { OAuthService } from './service.js';
import { openAuthorizeUrl, queryOf } from './testing/browser.js';

const DAY = 86400_000;
const REDIRECT = 'http://127.0.0.1:9/api/v1/oauth/callback';
const SECRET = 'client-secret-0123456789abcdef';
const clock = new ManualClock(Date.UTC(2026, 10, 1, 9, 0, 0));
let sandbox: AnafSandbox;

beforeAll(async () => {
  sandbox = await startAnafSandbox({
    clock,
    tokens: {},
    oauth: { tls: true, clients: { 'efact-client': { secret: SECRET, redirectUris: [REDIRECT] } } },
  });
});
afterAll(() => sandbox.close());

async function apiAccepts(access: string): Promise<boolean> {
  const res = await fetch(`${sandbox.url}/test/FCTEL/rest/stareMesaj?id_incarcare=1`, { headers: { authorization: `Bearer ${access}` } });
  return res.status === 200;
}

for (const kind of storeKinds()) {
  describe(`ANAF OAuth against the sandbox (${kind.name})`, () => {
    const stores: SqlStore[] = [];
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close();
      for (const c of cleanups.splice(0)) await c();
    });

    /** The database of the last `instances` call, for what an operator does beside them (efact keys rotate). */
    let shared: { dir: string; store: SqlStore } | null = null;

    /** One "instance": its own store handle, vault and service on the same database. */
    async function instances(n: number): Promise<OAuthService[]> {
      const db = await kind.create(clock);
      cleanups.push(db.cleanup);
      const operator = await db.open();
      stores.push(operator);
      shared = { dir: db.dir, store: operator };
      const out: OAuthService[] = [];
      for (let i = 0; i < n; i++) {
        const store = await db.open();
        stores.push(store);
        const vault = await SqlVault.open({ db: store.db, dataDir: db.dir, env: {} });
        const tls = sandbox.oauth.tls!;
        out.push(
          new OAuthService({
            repo: new OAuthProfileRepository(store.db),
            vault,
            endpoint: new AnafOAuthEndpoint({ baseUrl: tls.url, ca: tls.ca }),
            clock,
            owner: `instance-${i + 1}`,
          }),
        );
      }
      await out[0]!.saveProfile({ name: 'main', clientId: 'efact-client', clientSecret: SECRET, redirectUri: REDIRECT });
      return out;
    }

    async function login(service: OAuthService, cert: 'client' | 'stranger' | null = 'client') {
      const start = await service.beginLogin('main', '8000000000');
      const url = new URL(start.url);
      expect(url.pathname).toBe('/anaf-oauth2/v1/authorize');
      expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'code', client_id: 'efact-client', redirect_uri: REDIRECT, token_content_type: 'jwt', state: start.state });
      const tls = sandbox.oauth.tls!;
      const back = await openAuthorizeUrl(start.url, {
        ca: tls.ca,
        cert: cert === 'client' ? tls.clientCertificate : cert === 'stranger' ? tls.strangerCertificate : null,
      });
      return service.completeLogin(queryOf(back));
    }

    it('logs in with the client certificate, stores both tokens encrypted, and calls ANAF with them', async () => {
      const [service] = await instances(1);
      const result = await login(service!);
      expect(result).toMatchObject({ profile: 'main', companyCif: '8000000000' });
      expect(result.accessExpiresAt.getTime() - clock.now().getTime()).toBe(90 * DAY);
      const status = await service!.status('main');
      expect(status).toMatchObject({ state: 'ok', hasTokens: true, accessDaysLeft: 90, refreshDaysLeft: 365, hasClientSecret: true });
      expect(status.clientId).not.toBe('efact-client');
      expect(JSON.stringify(status)).not.toContain(SECRET);
      const access = await service!.accessToken('main');
      expect(await apiAccepts(access)).toBe(true);
      // A callback replayed with the same state is refused.
      await expect(service!.completeLogin({ state: (await service!.beginLogin('main', null)).state, code: 'made-up' })).rejects.toThrow(/refused the authorization code/);
    });

    it('refuses an unknown state, and explains access_denied (no certificate / foreign certificate)', async () => {
      const [service] = await instances(1);
      await expect(service!.completeLogin({ state: 'forged', code: 'x' })).rejects.toThrow(/unknown login state/);
      for (const cert of [null, 'stranger'] as const) {
        await expect(login(service!, cert)).rejects.toThrow(/access_denied.*certificate was not presented.*client_id or the redirect_uri does not match/s);
      }
      expect((await service!.status('main')).state).toBe('login-needed');
    });

    it('refreshes ahead of expiry with rotation; the old refresh token is dead and the new one works', async () => {
      const [service] = await instances(1);
      await login(service!);
      const before = sandbox.oauth.issuer.granted.refresh_token;
      const first = await service!.accessToken('main');
      expect(sandbox.oauth.issuer.granted.refresh_token).toBe(before);
      clock.advance(61 * DAY);
      expect((await service!.status('main')).state).toBe('ok');
      const second = await service!.accessToken('main');
      expect(second).not.toBe(first);
      expect(sandbox.oauth.issuer.granted.refresh_token).toBe(before + 1);
      expect(await apiAccepts(second)).toBe(true);
      const status = await service!.status('main');
      expect(status.accessDaysLeft).toBe(90);
      expect(status.refreshedAt?.getTime()).toBe(clock.now().getTime());
      await service!.ensureFresh('main', { force: true });
      expect(sandbox.oauth.issuer.granted.refresh_token).toBe(before + 2);
    });

    it('two instances refreshing at once spend the refresh token once and lose nothing', async () => {
      const services = await instances(2);
      await login(services[0]!);
      for (let round = 0; round < 3; round++) {
        clock.advance(61 * DAY);
        const before = sandbox.oauth.issuer.granted.refresh_token;
        const rows = await Promise.all(services.map((s) => s.ensureFresh('main')));
        expect(sandbox.oauth.issuer.granted.refresh_token).toBe(before + 1);
        expect(rows[0]!.token_version).toBe(rows[1]!.token_version);
        const tokens = await Promise.all(services.map((s) => s.accessToken('main')));
        expect(tokens[0]).toBe(tokens[1]);
        expect(await apiAccepts(tokens[0]!)).toBe(true);
      }
      // Forced refreshes racing: still one spend each time, and the stored refresh token still works after.
      const before = sandbox.oauth.issuer.granted.refresh_token;
      await Promise.all(services.map((s) => s.ensureFresh('main', { force: true })));
      expect(sandbox.oauth.issuer.granted.refresh_token).toBe(before + 1);
      await services[1]!.ensureFresh('main', { force: true });
      expect(sandbox.oauth.issuer.granted.refresh_token).toBe(before + 2);
    });

    it('serves the access token from memory while the stored pair is unchanged; another instance refreshing, rotating the master key or revoking is seen at the next call', async () => {
      const [one, two] = await instances(2);
      await login(one!);
      const first = await two!.accessToken('main');
      expect(await two!.accessToken('main')).toBe(first);
      expect(await two!.accessToken('main')).toBe(first);
      expect(two!.tokenReads).toEqual({ decrypted: 1, cached: 2 });

      // Instance one refreshes: two's cached token is stale and is not served.
      await one!.ensureFresh('main', { force: true });
      const refreshed = await two!.accessToken('main');
      expect(refreshed).not.toBe(first);
      expect(refreshed).toBe(await one!.accessToken('main'));
      expect(await apiAccepts(refreshed)).toBe(true);
      expect(two!.tokenReads.decrypted).toBe(2);

      // efact keys rotate (another process): the envelopes change, the token does not; two reads it again under the new key.
      const rotated = await rotateMasterKey({ db: shared!.store.db, dataDir: shared!.dir, env: {}, rowLocks: kind.name === 'postgres' });
      expect(rotated.tokens).toBe(1);
      expect(await two!.accessToken('main')).toBe(refreshed);
      expect(two!.tokenReads.decrypted).toBe(3);
      expect(await two!.accessToken('main')).toBe(refreshed);
      expect(two!.tokenReads.decrypted).toBe(3);

      // Revoked by instance one: two no longer has a token to give.
      await one!.revoke('main');
      await expect(two!.accessToken('main')).rejects.toThrow(/no tokens \(revoked\)/);
    });

    it('two instances with warm caches racing to refresh spend the refresh token once, agree on the new pair, and lose nothing', async () => {
      const services = await instances(2);
      await login(services[0]!);
      const old = await Promise.all(services.map((s) => s.accessToken('main')));
      expect(old[0]).toBe(old[1]);
      for (let round = 0; round < 3; round++) {
        clock.advance(61 * DAY);
        const before = sandbox.oauth.issuer.granted.refresh_token;
        // Several calls at once on each instance, as the engine's workers make them.
        const tokens = await Promise.all([...services, ...services, ...services].map((s) => s.accessToken('main')));
        expect(sandbox.oauth.issuer.granted.refresh_token).toBe(before + 1);
        expect(new Set(tokens).size).toBe(1);
        expect(tokens[0]).not.toBe(old[0]);
        expect(await apiAccepts(tokens[0]!)).toBe(true);
        // ...and the cached token afterwards is the stored one on both.
        expect(await services[1]!.accessToken('main')).toBe(tokens[0]);
        old[0] = tokens[0]!;
      }
      // The stored refresh token is the live one: a further refresh from either instance works.
      await services[1]!.ensureFresh('main', { force: true });
      await services[0]!.ensureFresh('main', { force: true });
      expect(await apiAccepts(await services[0]!.accessToken('main'))).toBe(true);
    });

    it('an expired refresh token asks for a new login; status warns from 14 days before', async () => {
      const [service] = await instances(1);
      await service!.saveProfile({ name: 'main', clientId: 'efact-client', redirectUri: REDIRECT });
      await login(service!);
      // Keep the access token fresh but let the refresh token run out: the sandbox gives 365 days.
      clock.advance(77 * DAY);
      let status = await service!.status('main');
      expect(status).toMatchObject({ state: 'warning', accessDaysLeft: 13 });
      expect(status.message).toMatch(/access token expires in 13 days/);
      clock.advance(300 * DAY);
      status = await service!.status('main');
      expect(status.state).toBe('expired');
      await expect(service!.accessToken('main')).rejects.toThrow(/refresh token expired.*log in again/);
      await login(service!);
      expect((await service!.status('main')).state).toBe('ok');
    });

    it('revokes at ANAF and forgets the tokens', async () => {
      const [service] = await instances(1);
      await login(service!);
      const access = await service!.accessToken('main');
      const result = await service!.revoke('main');
      expect(result.revokedAtAnaf).toBe(true);
      expect(await apiAccepts(access)).toBe(false);
      const status = await service!.status('main');
      expect(status).toMatchObject({ state: 'login-needed', hasTokens: false });
      await expect(service!.accessToken('main')).rejects.toThrow(/no tokens \(revoked\)/);
    });
  });
}
