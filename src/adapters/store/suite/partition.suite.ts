import { describe, expect, it } from 'vitest';
import type { ServerRegistry } from '../../../ports/server-registry.js';
import type { Store } from '../../../ports/store.js';
import { addCompany, cause, newInvoice, type StoreFactory, useStore } from './harness.js';

type RegistryStore = Store & ServerRegistry;

function reg(serverId: number, filter: string | null) {
  return { serverId, seats: 9, host: 'h', pid: serverId, filter, leaseMs: 30_000 };
}

export function partitionSuite(factory: StoreFactory, reopenable: boolean): void {
  describe('partition filters in claims', () => {
    const h = useStore(factory);
    const store = (): RegistryStore => h.store as RegistryStore;
    const other = async (): Promise<RegistryStore> => {
      const s = (await h.sut.reopen!()) as RegistryStore;
      h.extra.push(s);
      return s;
    };

    /** Queues invoices with the given branches (null: none known) and returns id → branch. */
    async function queue(companyId: number, branches: Array<string | null>): Promise<Map<number, string | null>> {
      const byId = new Map<number, string | null>();
      for (const [i, branch] of branches.entries()) {
        const base = newInvoice(companyId, { series: i % 2 === 0 ? 'F' : 'G' });
        const r = await store().intake({ ...base, origin: { ...base.origin, branch } }, cause('intake'));
        if (r.kind !== 'created') throw new Error(r.kind);
        byId.set(r.invoice.id, branch);
      }
      return byId;
    }

    async function drain(s: Store, companyId: number): Promise<number[]> {
      const ids: number[] = [];
      for (;;) {
        const batch = await s.claimForUpload(companyId, 'test', 3, h.clock.now(), cause('claim'));
        if (batch.length === 0) return ids;
        ids.push(...batch.map((c) => c.invoice.id));
      }
    }

    it('a filtered instance claims only the invoices its filter matches', async () => {
      const company = await addCompany(store());
      const byId = await queue(company.id, ['Iasi', 'Cluj', null, 'Iasi', 'iasi']);
      await store().registerServer(reg(1, "branch = 'Iasi' and series in ('F', 'G')"));
      const mine = await drain(store(), company.id);
      expect(mine.map((id) => byId.get(id))).toEqual(['Iasi', 'Iasi']);
    });

    it('a filter is never SQL: injection attempts fail to parse or match only as text, and the table stays whole', async () => {
      const company = await addCompany(store());
      const byId = await queue(company.id, ['Iasi', "x' or 1=1 --", 'Cluj']);
      await expect(store().registerServer(reg(1, "branch = 'x'; drop table invoices"))).rejects.toMatchObject({
        message: expect.stringMatching(/partition filter, column 13/),
      });
      await expect(store().registerServer(reg(1, 'branch = x or 1=1'))).rejects.toThrow(/partition filter, column/);
      await store().registerServer(reg(1, "branch = 'x'' or 1=1 --'"));
      const mine = await drain(store(), company.id);
      expect(mine.map((id) => byId.get(id))).toEqual(["x' or 1=1 --"]);
      expect(await store().listInvoices({ companyId: company.id, limit: 10 })).toHaveLength(3);
      expect((await store().listInvoices({ companyId: company.id, status: 'queued', limit: 10 })).map((i) => i.origin.branch)).toEqual(['Iasi', 'Cluj']);
    });

    it.skipIf(!reopenable)("two filtered instances and an unfiltered one split the invoices: no overlap, nothing left", async () => {
      const company = await addCompany(store());
      const branches = ['Iasi', 'Cluj', 'Bucuresti', null, 'Cluj', 'Iasi', 'Timisoara', 'Iasi', 'Cluj', '', 'IASI', 'Cluj '];
      const byId = await queue(company.id, [...branches, ...branches]);
      const iasi = store();
      const cluj = await other();
      const rest = await other();
      await iasi.registerServer(reg(1, "branch = 'Iasi'"));
      await cluj.registerServer(reg(2, "Subunitate = 'Cluj'"));
      await rest.registerServer(reg(3, null));
      // The unfiltered one first: it must leave the filtered instances' shares alone.
      const fromRest = await drain(rest, company.id);
      const fromIasi = await drain(iasi, company.id);
      const fromCluj = await drain(cluj, company.id);
      expect(new Set(fromIasi.map((id) => byId.get(id)))).toEqual(new Set(['Iasi']));
      expect(new Set(fromCluj.map((id) => byId.get(id)))).toEqual(new Set(['Cluj']));
      expect(fromIasi).toHaveLength(6);
      expect(fromCluj).toHaveLength(6);
      expect(fromRest.map((id) => byId.get(id)).some((b) => b === 'Iasi' || b === 'Cluj')).toBe(false);
      const all = [...fromRest, ...fromIasi, ...fromCluj];
      expect(new Set(all).size).toBe(all.length);
      expect(new Set(all)).toEqual(new Set(byId.keys()));
      expect(await store().listInvoices({ companyId: company.id, status: 'queued', limit: 10 })).toEqual([]);
      // The counters reach the registry with each instance's heartbeat.
      for (const s of [iasi, cluj, rest]) await s.heartbeat();
      expect((await rest.listServers()).map((r) => [r.serverId, r.claimed])).toEqual([
        [1, 6],
        [2, 6],
        [3, 12],
      ]);
    });

    it.skipIf(!reopenable)('lists "mine" as claims see it: a filtered instance its matches, an unfiltered one the rest', async () => {
      const company = await addCompany(store());
      const byId = await queue(company.id, ['Iasi', 'Cluj', null, 'Iasi']);
      const rest = await other();
      await store().registerServer(reg(1, "branch = 'Iasi'"));
      await rest.registerServer(reg(2, null));
      const q = { companyId: company.id, status: 'queued' as const, limit: 10, mine: true };
      expect((await store().listInvoices(q)).map((i) => byId.get(i.id))).toEqual(['Iasi', 'Iasi']);
      expect((await rest.listInvoices(q)).map((i) => byId.get(i.id))).toEqual(['Cluj', null]);
      expect(await rest.listInvoices({ ...q, mine: false })).toHaveLength(4);
    });

    it.skipIf(!reopenable)("an unfiltered instance takes a filtered instance's share once it stops or its lease runs out", async () => {
      const company = await addCompany(store());
      const byId = await queue(company.id, ['Iasi', 'Cluj', 'Iasi', 'Cluj']);
      const iasi = store();
      const cluj = await other();
      const rest = await other();
      await iasi.registerServer(reg(1, "branch = 'Iasi'"));
      await cluj.registerServer({ ...reg(2, "branch = 'Cluj'"), leaseMs: 10_000 });
      await rest.registerServer({ ...reg(3, null), leaseMs: 60_000 });
      expect(await drain(rest, company.id)).toEqual([]);
      await iasi.deregisterServer();
      expect((await drain(rest, company.id)).map((id) => byId.get(id))).toEqual(['Iasi', 'Iasi']);
      h.clock.advance(10_001);
      expect((await drain(rest, company.id)).map((id) => byId.get(id))).toEqual(['Cluj', 'Cluj']);
    });
  
    it("applies the company's own filter to every claim: alone, and together with an instance's filter", async () => {
      const company = await addCompany(store());
      const byId = await queue(company.id, ['Iasi', 'Cluj', null, 'Iasi']);
      await store().updateCompany(company.id, { partitionFilter: "Subunitate = 'Iasi'" });
      const other = await addCompany(store(), '7654321');
      const elsewhere = await queue(other.id, ['Cluj']);
      // Without an instance filter: Iasi only; Cluj and the unknown branch wait.
      expect((await drain(store(), company.id)).map((id) => byId.get(id))).toEqual(['Iasi', 'Iasi']);
      const waiting = await store().listInvoices({ companyId: company.id, status: 'queued', limit: 10 });
      expect(waiting.map((i) => i.origin.branch)).toEqual(['Cluj', null]);
      // Another company's invoices are not narrowed by it.
      expect(await drain(store(), other.id)).toEqual([...elsewhere.keys()]);

      // With an instance filter: what both match. Series alternate F, G, F, G.
      const more = await queue(company.id, ['Iasi', 'Iasi', 'Cluj', 'Iasi']);
      await store().registerServer(reg(1, "series = 'F'"));
      const mine = await drain(store(), company.id);
      const first = [...more.keys()][0]!;
      expect(mine).toEqual([first]);
      // Cleared, the company's filter no longer holds anything back (the instance's still does).
      await store().updateCompany(company.id, { partitionFilter: null });
      expect((await drain(store(), company.id)).map((id) => (byId.has(id) ? byId.get(id) : more.get(id)))).toEqual([null, 'Cluj']);
    });

    it.skipIf(!reopenable)("an unfiltered instance takes, of the company's filter, what no live filtered instance covers", async () => {
      const company = await addCompany(store());
      const byId = await queue(company.id, ['Iasi', 'Cluj', 'Brasov', 'Iasi', 'Cluj', 'Brasov']);
      await store().updateCompany(company.id, { partitionFilter: "branch in ('Iasi', 'Cluj')" });
      const rest = await other();
      await store().registerServer(reg(1, "branch = 'Iasi'"));
      await rest.registerServer(reg(2, null));
      expect((await drain(rest, company.id)).map((id) => byId.get(id))).toEqual(['Cluj', 'Cluj']);
      expect((await drain(store(), company.id)).map((id) => byId.get(id))).toEqual(['Iasi', 'Iasi']);
      expect((await store().listInvoices({ companyId: company.id, status: 'queued', limit: 10 })).map((i) => i.origin.branch)).toEqual([
        'Brasov',
        'Brasov',
      ]);
    });
});
}
