/**
 * Failed sign-ins counted in the store: two instances (two API apps, each with its own store
 * handle on one database) count one client's wrong keys together, on SQLite and on PostgreSQL;
 * and behind a trusted reverse proxy the client is the one X-Forwarded-For names.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { SqlStore } from '../adapters/store/sql-store.js';
import { IntakeService } from '../engine/intake/intake-service.js';
import { createApiKey } from '../server/api-keys.js';
import { storeKinds } from '../secrets/testing/stores.js';
import { DEFAULT_ACCESS } from './access/access-control.js';
import { buildApiApp } from './app.js';
import { FakeArchive, FakeEngine } from './testing/fakes.js';
import { addApiKey, bearer, makeApi, type Harness } from './testing/harness.js';

const WRONG = bearer(`efk_${'B'.repeat(43)}`);

for (const kind of storeKinds()) {
  describe(`failed sign-ins shared through the store (${kind.name})`, () => {
    const apps: FastifyInstance[] = [];
    const stores: SqlStore[] = [];
    let cleanup: (() => Promise<void>) | null = null;
    afterEach(async () => {
      for (const a of apps.splice(0)) await a.close();
      for (const s of stores.splice(0)) await s.close();
      await cleanup?.();
      cleanup = null;
    });

    async function instances(n: number): Promise<{ apps: FastifyInstance[]; stores: SqlStore[] }> {
      const db = await kind.create();
      cleanup = db.cleanup;
      for (let i = 0; i < n; i++) {
        const store = await db.open();
        await store.migrate();
        stores.push(store);
        apps.push(
          await buildApiApp({
            store,
            intake: new IntakeService(store, `api-${i}`),
            engine: new FakeEngine(),
            archive: new FakeArchive(),
            version: 'int',
            access: { ...DEFAULT_ACCESS, signInLimit: { max: 4, windowSeconds: 60 } },
          }),
        );
      }
      return { apps, stores };
    }

    it('two instances behind one balancer count one client together', async () => {
      const { apps: [a, b], stores: [store] } = await instances(2);
      const { key } = await createApiKey(store!, { name: 'erp', role: 'viewer' });
      const get = (app: FastifyInstance, headers: Record<string, string>) => app.inject({ method: 'GET', url: '/api/v1/invoices', headers });
      // Alternating, as a balancer would: two wrong keys at each instance use up the limit of 4.
      for (const app of [a, b, a, b]) expect((await get(app!, WRONG)).statusCode).toBe(401);
      for (const app of [a, b]) {
        const res = await get(app!, WRONG);
        expect(res.statusCode).toBe(429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect((await get(app!, bearer(key))).statusCode).toBe(429);
      }
      // another client is not affected, at either instance
      for (const app of [a, b]) expect((await app!.inject({ method: 'GET', url: '/api/v1/invoices', headers: bearer(key), remoteAddress: '10.1.1.1' })).statusCode).toBe(200);
    });

    it('counts every one of the failures recorded at once through two handles; a window over starts again', async () => {
      const { stores: [s1, s2] } = await instances(2);
      const at = new Date(Date.UTC(2026, 11, 2, 12, 0, 0));
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? s1! : s2!).recordSignInFailure('ip:203.0.113.9', at, 60_000)));
      expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await s2!.signInFailures('ip:203.0.113.9', at)).toEqual({ count: 20, windowEndsAt: new Date(at.getTime() + 60_000) });
      expect(await s1!.signInFailures('ip:198.51.100.1', at)).toBeNull();
      const later = new Date(at.getTime() + 60_000);
      expect(await s1!.signInFailures('ip:203.0.113.9', later)).toBeNull();
      expect(await s1!.recordSignInFailure('ip:203.0.113.9', later, 60_000)).toEqual({ count: 1, windowEndsAt: new Date(later.getTime() + 60_000) });
      await s1!.recordSignInFailure('ip:198.51.100.1', at, 1_000);
      expect(await s2!.purgeSignInFailures(new Date(at.getTime() + 5_000))).toBe(1);
      expect((await s2!.signInFailures('ip:203.0.113.9', later))?.count).toBe(1);
    });
  });
}

describe('http.trustProxy', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.app.close();
  });
  const wrongFrom = (forwardedFor: string) =>
    h.app.inject({ method: 'GET', url: '/api/v1/invoices', headers: { ...WRONG, 'x-forwarded-for': forwardedFor }, remoteAddress: '127.0.0.1' });

  it('off (default): X-Forwarded-For is not believed, so a client cannot dodge the limit by inventing addresses', async () => {
    h = await makeApi({ access: { signInLimit: { max: 2, windowSeconds: 60 } } });
    await addApiKey(h.store, 'erp', 'viewer');
    expect((await wrongFrom('198.51.100.1')).statusCode).toBe(401);
    expect((await wrongFrom('198.51.100.2')).statusCode).toBe(401);
    expect((await wrongFrom('198.51.100.3')).statusCode).toBe(429);
    expect([...h.store.signInFailureRows.keys()]).toEqual(['ip:127.0.0.1']);
  });

  it('on for the proxy: each client behind it is counted by its own address', async () => {
    h = await makeApi({ access: { signInLimit: { max: 2, windowSeconds: 60 } }, trustProxy: '127.0.0.1' });
    await addApiKey(h.store, 'erp', 'viewer');
    for (let i = 0; i < 2; i++) expect((await wrongFrom('198.51.100.1')).statusCode).toBe(401);
    expect((await wrongFrom('198.51.100.1')).statusCode).toBe(429);
    expect((await wrongFrom('198.51.100.2')).statusCode).toBe(401);
    expect([...h.store.signInFailureRows.keys()].sort()).toEqual(['ip:198.51.100.1', 'ip:198.51.100.2']);
  });

  it('a hop count trusts that many proxies nearest to the server', async () => {
    h = await makeApi({ access: { signInLimit: { max: 5, windowSeconds: 60 } }, trustProxy: 1 });
    await addApiKey(h.store, 'erp', 'viewer');
    // The client forged the first entry; the proxy appended the address it saw.
    await wrongFrom('6.6.6.6, 198.51.100.7');
    expect([...h.store.signInFailureRows.keys()]).toEqual(['ip:198.51.100.7']);
  });
});
