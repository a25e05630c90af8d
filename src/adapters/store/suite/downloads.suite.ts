import { describe, expect, it } from 'vitest';
import { EfactError } from '../../../domain/errors.js';
import { ANAF_PUBLISHED_LIMITS } from '../../anaf/limits.js';
import { fromBucharest, nextAnafDayStart } from '../../anaf/time.js';
import { MemoryRateGovernor } from '../../../engine/governor/memory-governor.js';
import type { GovernedCall, QuotaDayStore } from '../../../ports/rate-governor.js';
import type { ServerRegistry } from '../../../ports/server-registry.js';
import type { Store } from '../../../ports/store.js';
import { addCompany, cause, createInvoice, driveTo, newInvoice, type StoreFactory, useStore } from './harness.js';

type FullStore = Store & ServerRegistry & QuotaDayStore;

const LEASE = 60_000;

function reg(serverId: number, filter: string | null) {
  return { serverId, seats: 9, host: 'h', pid: serverId, filter, leaseMs: 10 * LEASE };
}

/**
 * Answer downloads claimed across instances, per-company leases (who lists a company's
 * messages), and ANAF's daily quota counts kept in the store across restarts.
 */
/**
 * `concurrent`: the factory's handles may run statements at the same time (PostgreSQL); two
 * SQLite handles in one thread would wait on each other's lock, so there they take turns.
 */
export function downloadsSuite(factory: StoreFactory, reopenable: boolean, concurrent: boolean): void {
  describe('download claims, company leases, quota days', () => {
    const h = useStore(factory);
    const store = (): FullStore => h.store as FullStore;
    const other = async (): Promise<FullStore> => {
      const s = (await h.sut.reopen!()) as FullStore;
      h.extra.push(s);
      return s;
    };

    /** `n` invoices of the company in `ok`, with a download id each. */
    async function okInvoices(companyId: number, n: number, branch?: string): Promise<number[]> {
      const ids: number[] = [];
      for (let i = 0; i < n; i++) {
        const base = newInvoice(companyId);
        const r = await store().intake(branch === undefined ? base : { ...base, origin: { ...base.origin, branch } }, cause('intake'));
        if (r.kind !== 'created') throw new Error(r.kind);
        ids.push((await driveTo(store(), r.invoice, 'ok')).id);
      }
      return ids;
    }

    it('claims ok invoices with a download id, oldest first, each leased so nobody takes it twice', async () => {
      const company = await addCompany(store());
      const ids = await okInvoices(company.id, 4);
      await createInvoice(store(), company.id); // queued: not a download
      const now = h.clock.now();
      const first = await store().claimForDownload(company.id, 'test', 3, now, LEASE);
      expect(first.map((i) => i.id)).toEqual(ids.slice(0, 3));
      for (const i of first) {
        expect(i.status).toBe('ok');
        expect(i.nextAttemptAt?.getTime()).toBe(now.getTime() + LEASE);
      }
      expect((await store().claimForDownload(company.id, 'test', 10, now, LEASE)).map((i) => i.id)).toEqual([ids[3]]);
      expect(await store().claimForDownload(company.id, 'test', 10, now, LEASE)).toEqual([]);
      expect(await store().claimForDownload(company.id, 'prod', 10, now, LEASE)).toEqual([]);
    });

    it("a claim whose instance died is taken again once its lease has run out, not before", async () => {
      const company = await addCompany(store());
      const [id] = await okInvoices(company.id, 1);
      expect((await store().claimForDownload(company.id, 'test', 10, h.clock.now(), LEASE)).map((i) => i.id)).toEqual([id]);
      // The claimer dies here: nothing is recorded.
      h.clock.advance(LEASE - 1);
      expect(await store().claimForDownload(company.id, 'test', 10, h.clock.now(), LEASE)).toEqual([]);
      h.clock.advance(1);
      expect((await store().claimForDownload(company.id, 'test', 10, h.clock.now(), LEASE)).map((i) => i.id)).toEqual([id]);
    });

    it('a failed download frees the invoice at its retry time; a recorded one is never claimed again', async () => {
      const company = await addCompany(store());
      const [a, b] = await okInvoices(company.id, 2);
      await store().claimForDownload(company.id, 'test', 10, h.clock.now(), LEASE);
      const retry = new Date(h.clock.now().getTime() + 5_000);
      await store().transition([
        { invoiceId: a!, from: 'ok', to: 'ok', patch: { nextAttemptAt: retry, lastError: 'x', addAttempts: 1 }, cause: cause('answer-download-failed') },
        { invoiceId: b!, from: 'ok', to: 'downloaded', patch: { archivePath: 'p', downloadedAt: h.clock.now(), nextAttemptAt: null }, cause: cause('answer-archived') },
      ]);
      h.clock.advance(5_000);
      expect((await store().claimForDownload(company.id, 'test', 10, h.clock.now(), LEASE)).map((i) => i.id)).toEqual([a]);
      h.clock.advance(LEASE);
      expect((await store().claimForDownload(company.id, 'test', 10, h.clock.now(), LEASE)).map((i) => i.id)).toEqual([a]);
    });

    it.skipIf(!reopenable)('two instances claiming at the same time never get the same download', async () => {
      const company = await addCompany(store());
      const ids = await okInvoices(company.id, 30);
      const a = store();
      const b = await other();
      await a.registerServer(reg(1, null));
      await b.registerServer(reg(2, null));
      const got: number[][] = [[], []];
      // Both claim at once (or in turns), in small bites, until nothing is left.
      const drain = async (s: FullStore, k: number): Promise<void> => {
        for (;;) {
          const batch = await s.claimForDownload(company.id, 'test', 4, h.clock.now(), LEASE);
          if (batch.length === 0) return;
          got[k]!.push(...batch.map((i) => i.id));
          if (!concurrent) return;
        }
      };
      if (concurrent) await Promise.all([drain(a, 0), drain(b, 1)]);
      else while (got[0]!.length + got[1]!.length < ids.length) for (const [k, s] of [a, b].entries()) await drain(s, k);
      const all = [...got[0]!, ...got[1]!];
      expect(new Set(all).size).toBe(all.length);
      expect(new Set(all)).toEqual(new Set(ids));
    });

    it.skipIf(!reopenable)('download claims follow the partition filters, and a fenced instance claims nothing', async () => {
      const company = await addCompany(store());
      const iasi = await okInvoices(company.id, 2, 'Iasi');
      const cluj = await okInvoices(company.id, 2, 'Cluj');
      const a = store();
      const b = await other();
      await a.registerServer(reg(1, "branch = 'Iasi'"));
      await b.registerServer(reg(2, null));
      expect((await b.claimForDownload(company.id, 'test', 10, h.clock.now(), LEASE)).map((i) => i.id)).toEqual(cluj);
      expect((await a.claimForDownload(company.id, 'test', 10, h.clock.now(), LEASE)).map((i) => i.id)).toEqual(iasi);
      // Server 2 is taken over: its old handle may not take anything any more.
      const c = await other();
      await c.registerServer({ ...reg(2, null), takeover: true });
      h.clock.advance(LEASE);
      await expect(b.claimForDownload(company.id, 'test', 10, h.clock.now(), LEASE)).rejects.toMatchObject({ code: 'FENCED' });
      expect((await c.claimForDownload(company.id, 'test', 10, h.clock.now(), LEASE)).map((i) => i.id)).toEqual(cluj);
    });

    it('a company lease has one holder at a time, renewed by it, taken over when it runs out, handed back on release', async () => {
      const name = 'list:1:test';
      expect(await store().takeCompanyLease(name, 'one', LEASE)).toBe(true);
      expect(await store().takeCompanyLease(name, 'two', LEASE)).toBe(false);
      h.clock.advance(LEASE - 1);
      expect(await store().takeCompanyLease(name, 'one', LEASE)).toBe(true); // renewed from now
      h.clock.advance(LEASE - 1);
      expect(await store().takeCompanyLease(name, 'two', LEASE)).toBe(false);
      expect(await store().takeCompanyLease('list:2:test', 'two', LEASE)).toBe(true); // another company
      h.clock.advance(1);
      expect(await store().takeCompanyLease(name, 'two', LEASE)).toBe(true); // "one" stopped renewing
      expect(await store().takeCompanyLease(name, 'one', LEASE)).toBe(false);
      await store().releaseCompanyLease(name, 'one'); // not its holder: nothing happens
      expect(await store().takeCompanyLease(name, 'one', LEASE)).toBe(false);
      await store().releaseCompanyLease(name, 'two');
      expect(await store().takeCompanyLease(name, 'one', LEASE)).toBe(true);
    });

    it.skipIf(!reopenable)('instances asking for a company lease at the same time: exactly one gets it', async () => {
      const handles = [store(), await other(), await other()];
      for (let round = 0; round < 5; round++) {
        const take = (s: FullStore, k: number) => s.takeCompanyLease(`list:${round}:test`, `i${k}`, LEASE);
        const got = concurrent ? await Promise.all(handles.map(take)) : [await take(handles[0]!, 0), await take(handles[1]!, 1), await take(handles[2]!, 2)];
        expect(got.filter(Boolean)).toHaveLength(1);
      }
    });

    it('keeps daily quota counts per platform and day; a count never goes down', async () => {
      await store().saveQuotaCount('https://anaf', '2026-01-15', 'test:download:1', 3);
      await store().saveQuotaCount('https://anaf', '2026-01-15', 'test:download:1', 2);
      await store().saveQuotaCount('https://anaf', '2026-01-15', 'test:list:1234567', 7);
      await store().saveQuotaCount('https://other', '2026-01-15', 'test:download:1', 9);
      await store().saveQuotaCount('https://anaf', '2026-01-16', 'test:download:1', 1);
      const day = await store().loadQuotaDay('https://anaf', '2026-01-15');
      expect(day.sort((x, y) => x.scopeKey.localeCompare(y.scopeKey))).toEqual([
        { scopeKey: 'test:download:1', used: 3 },
        { scopeKey: 'test:list:1234567', used: 7 },
      ]);
    });

    it("the single instance's governor remembers the day's counts across a restart and forgets them at Bucharest midnight", async () => {
      // 23:30 in Bucharest (21:30 UTC in winter)
      h.clock.set(fromBucharest(2026, 1, 15, 23, 30));
      const ctx = { environment: 'test' as const, companyCif: '1234567' };
      const download: GovernedCall = { endpoint: 'descarcare', context: ctx, messageId: '3001' };
      const list: GovernedCall = { endpoint: 'listaMesajeFactura', context: ctx };
      const open = () => new MemoryRateGovernor({ clock: h.clock, limits: ANAF_PUBLISHED_LIMITS, pacingMs: 0, days: { store: store(), platformKey: 'https://anaf' } });
      const first = open();
      await first.restore();
      for (let i = 0; i < 7; i++) await first.acquire(download);
      await first.acquire(list);
      // The platform said the simple list is spent for today.
      first.reportQuota(list, new EfactError('PLATFORM_QUOTA', 'quota', { platformMessage: 'S-au facut deja 1500 interogari' }));
      await first.flush();

      const second = open(); // the process was killed and started again
      await second.restore();
      for (let i = 0; i < 3; i++) await second.acquire(download);
      await expect(second.acquire(download)).rejects.toMatchObject({ code: 'PLATFORM_QUOTA', retryAt: nextAnafDayStart(h.clock.now()) });
      await expect(second.acquire(list)).rejects.toMatchObject({ code: 'PLATFORM_QUOTA' });

      h.clock.set(nextAnafDayStart(h.clock.now()));
      const third = open();
      await third.restore();
      for (let i = 0; i < 10; i++) await third.acquire(download);
      await third.acquire(list);
      await expect(third.acquire(download)).rejects.toMatchObject({ code: 'PLATFORM_QUOTA' });
    });
  });
}
