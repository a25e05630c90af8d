import { describe, expect, it } from 'vitest';
import { addCompany, createInvoice, type StoreFactory, useStore } from './harness.js';

/** Companies managed at run time (soft removal, OAuth profile), API keys and Idempotency-Key records. */
export function accessSuite(factory: StoreFactory): void {
  describe('companies managed at run time', () => {
    const h = useStore(factory);

    it('updates given fields only, and keeps the OAuth profile name', async () => {
      const c = await h.store.upsertCompany({ cif: '1234567', shortName: 'A', name: 'A SRL', environment: 'test', oauthProfile: 'main', exportFolder: '/x' });
      expect(c).toMatchObject({ oauthProfile: 'main', removedAt: null });
      const u = await h.store.updateCompany(c.id, { name: 'A Two SRL', partitionFilter: "branch = 'Iasi'" });
      expect(u).toMatchObject({ shortName: 'A', name: 'A Two SRL', exportFolder: '/x', partitionFilter: "branch = 'Iasi'", oauthProfile: 'main' });
      const again = await h.store.upsertCompany({ cif: '1234567', shortName: 'A', name: 'A SRL', environment: 'test' });
      expect(again.oauthProfile).toBe('main');
      await expect(h.store.updateCompany(c.id + 100, { name: 'x' })).rejects.toMatchObject({ code: 'UNKNOWN_COMPANY' });
    });

    it('removes softly: hidden from the list, invoices kept, brought back by adding it again', async () => {
      const a = await addCompany(h.store, '1111111');
      const b = await addCompany(h.store, '2222222');
      const invoice = await createInvoice(h.store, a.id);
      const removed = await h.store.setCompanyRemoved(a.id, h.clock.now());
      expect(removed.removedAt).toEqual(h.clock.now());
      expect((await h.store.listCompanies()).map((c) => c.id)).toEqual([b.id]);
      expect((await h.store.listCompanies({ includeRemoved: true })).map((c) => c.id)).toEqual([a.id, b.id]);
      expect((await h.store.getCompanyByCif('1111111'))?.removedAt).toEqual(h.clock.now());
      expect(await h.store.getInvoice(invoice.id)).toEqual(invoice);
      const back = await addCompany(h.store, '1111111');
      expect(back.id).toBe(a.id);
      expect(back.removedAt).toBeNull();
    });

    it('lists invoices of a set of companies (an API key\'s scope)', async () => {
      const a = await addCompany(h.store, '1111111');
      const b = await addCompany(h.store, '2222222');
      const c = await addCompany(h.store, '3333333');
      const ia = await createInvoice(h.store, a.id);
      await createInvoice(h.store, b.id);
      const ic = await createInvoice(h.store, c.id);
      expect((await h.store.listInvoices({ companyIds: [a.id, c.id], limit: 10 })).map((i) => i.id)).toEqual([ia.id, ic.id]);
      expect(await h.store.listInvoices({ companyIds: [], limit: 10 })).toEqual([]);
    });
  });

  describe('API keys', () => {
    const h = useStore(factory);

    it('stores a key by its hash, finds it, refuses a second name, revokes once', async () => {
      expect(await h.store.hasApiKeys()).toBe(false);
      const k = await h.store.createApiKey({ name: 'erp', role: 'operator', companies: ['1234567'], hash: 'h1', prefix: 'efk_abcd' });
      expect(k).toMatchObject({ name: 'erp', role: 'operator', companies: ['1234567'], prefix: 'efk_abcd', revokedAt: null, lastUsedAt: null });
      expect(await h.store.hasApiKeys()).toBe(true);
      await expect(h.store.createApiKey({ name: 'erp', role: 'viewer', companies: null, hash: 'h2', prefix: 'p' })).rejects.toMatchObject({ code: 'CONFLICT' });
      const found = await h.store.findApiKeyByHash('h1', h.clock.now());
      expect(found).toMatchObject({ id: k.id, lastUsedAt: h.clock.now() });
      expect(await h.store.findApiKeyByHash('nope')).toBeNull();
      const revoked = await h.store.revokeApiKey('erp', h.clock.now());
      expect(revoked?.revokedAt).toEqual(h.clock.now());
      h.clock.advance(60_000);
      expect((await h.store.revokeApiKey(k.id, h.clock.now()))?.revokedAt).toEqual(revoked?.revokedAt);
      expect(await h.store.revokeApiKey('missing', h.clock.now())).toBeNull();
      expect(await h.store.hasApiKeys()).toBe(true);
      const all = await h.store.createApiKey({ name: 'admin', role: 'admin', companies: null, hash: 'h3', prefix: 'p' });
      expect((await h.store.listApiKeys()).map((x) => [x.name, x.companies])).toEqual([['erp', ['1234567']], [all.name, null]]);
    });
  });

  describe('Idempotency-Key records', () => {
    const h = useStore(factory);
    const base = (key = 'k1') => ({
      principal: 'key:1',
      key,
      requestHash: 'r1',
      method: 'POST',
      path: '/api/v1/x',
      createdAt: h.clock.now(),
      expiresAt: new Date(h.clock.now().getTime() + 86_400_000),
    });

    it('claims once, replays the completed answer, forgets released and expired ones', async () => {
      expect(await h.store.claimIdempotencyKey(base())).toEqual({ kind: 'claimed' });
      const pending = await h.store.claimIdempotencyKey(base());
      expect(pending).toMatchObject({ kind: 'seen', record: { status: null, requestHash: 'r1' } });
      await h.store.completeIdempotencyKey('key:1', 'k1', { status: 202, contentType: 'application/json', location: '/a', body: '{"ok":true}' });
      expect(await h.store.claimIdempotencyKey(base())).toMatchObject({ kind: 'seen', record: { status: 202, body: '{"ok":true}', location: '/a' } });
      // another principal has its own keys
      expect(await h.store.claimIdempotencyKey({ ...base(), principal: 'key:2' })).toEqual({ kind: 'claimed' });
      await h.store.releaseIdempotencyKey('key:2', 'k1');
      expect(await h.store.claimIdempotencyKey({ ...base(), principal: 'key:2' })).toEqual({ kind: 'claimed' });
      h.clock.advance(86_400_000);
      expect(await h.store.claimIdempotencyKey(base())).toEqual({ kind: 'claimed' });
      expect(await h.store.claimIdempotencyKey(base('k2'))).toEqual({ kind: 'claimed' });
      h.clock.advance(86_400_000);
      expect(await h.store.purgeIdempotencyKeys(h.clock.now())).toBe(3);
    });
  });
}
