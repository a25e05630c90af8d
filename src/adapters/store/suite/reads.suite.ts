import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../../domain/invoice.js';
import type { InvoiceQuery } from '../../../ports/store.js';
import { addCompany, cause, createInvoice, driveTo, newInvoice, type StoreFactory, useStore } from './harness.js';
import type { Store } from '../../../ports/store.js';

async function pageAll(store: Store, query: Omit<InvoiceQuery, 'afterId'>): Promise<Invoice[]> {
  const all: Invoice[] = [];
  let afterId: number | undefined;
  for (;;) {
    const page = await store.listInvoices({ ...query, ...(afterId === undefined ? {} : { afterId }) });
    all.push(...page);
    if (page.length < query.limit) return all;
    afterId = page.at(-1)!.id;
  }
}

export function readsSuite(factory: StoreFactory): void {
  describe('listing invoices', () => {
    const h = useStore(factory);

    // 600 rows are enough for every page size below to cross several page boundaries (the
    // smallest pages, 10 and 40, many); more rows only made the one-by-one intakes slow.
    it('pages 600 invoices by keyset, in order, none missed or repeated', async () => {
      const a = await addCompany(h.store, '1111111');
      const b = await addCompany(h.store, '2222222');
      const ids: number[] = [];
      const invalidIds: number[] = [];
      const created = new Map<number, number>();
      for (let i = 0; i < 600; i++) {
        h.clock.advance(1000);
        const result = await h.store.intake(newInvoice(i % 5 === 4 ? b.id : a.id), cause('intake'));
        if (result.kind !== 'created') throw new Error(result.kind);
        if (result.invoice.companyId === a.id) ids.push(result.invoice.id);
        created.set(result.invoice.id, result.invoice.createdAt.getTime());
      }
      for (const id of ids.filter((_, i) => i % 7 === 0)) {
        await h.store.transition([{ invoiceId: id, from: 'queued', to: 'invalid', cause: cause() }]);
        invalidIds.push(id);
      }
      const asc = await pageAll(h.store, { companyId: a.id, limit: 97 });
      expect(asc.map((i) => i.id)).toEqual(ids);
      const desc = await pageAll(h.store, { companyId: a.id, limit: 150, order: 'desc' });
      expect(desc.map((i) => i.id)).toEqual([...ids].reverse());
      const invalid = await pageAll(h.store, { companyId: a.id, status: 'invalid', limit: 40 });
      expect(invalid.map((i) => i.id)).toEqual(invalidIds);
      const everyone = await pageAll(h.store, { limit: 500 });
      expect(everyone).toHaveLength(600);
      const queuedOrInvalid = await pageAll(h.store, { companyId: a.id, environment: 'test', status: ['queued', 'invalid'], limit: 333 });
      expect(queuedOrInvalid.map((i) => i.id)).toEqual(ids);
      // a creation-date range, paged both ways
      const from = new Date(created.get(ids[100]!)!);
      const to = new Date(created.get(ids[400]!)!);
      const inRange = ids.filter((id) => created.get(id)! >= from.getTime() && created.get(id)! <= to.getTime());
      expect(inRange).toHaveLength(301);
      expect((await pageAll(h.store, { companyId: a.id, from, to, limit: 64 })).map((i) => i.id)).toEqual(inRange);
      expect((await pageAll(h.store, { companyId: a.id, from, to, limit: 64, order: 'desc' })).map((i) => i.id)).toEqual([...inRange].reverse());
      const invalidInRange = invalidIds.filter((id) => inRange.includes(id));
      expect((await pageAll(h.store, { companyId: a.id, status: 'invalid', from, limit: 10 })).map((i) => i.id)).toEqual(
        invalidIds.filter((id) => created.get(id)! >= from.getTime()),
      );
      expect((await pageAll(h.store, { status: 'invalid', from, to, limit: 10, order: 'desc' })).map((i) => i.id)).toEqual([...invalidInRange].reverse());
    });

    it('filters by status, series, number, environment and creation time', async () => {
      const company = await addCompany(h.store);
      const t0 = h.clock.now();
      const a = await createInvoice(h.store, company.id, { series: 'A', number: '1' });
      h.clock.advance(60_000);
      const b = await driveTo(h.store, await createInvoice(h.store, company.id, { series: 'A', number: '2' }), 'ok');
      h.clock.advance(60_000);
      const c = await createInvoice(h.store, company.id, { series: 'B', number: '1', environment: 'prod' });
      const ids = async (q: Omit<InvoiceQuery, 'limit'>) => (await h.store.listInvoices({ limit: 100, ...q })).map((i) => i.id);
      expect(await ids({ series: 'A' })).toEqual([a.id, b.id]);
      expect(await ids({ series: 'A', number: '2' })).toEqual([b.id]);
      expect(await ids({ number: '1' })).toEqual([a.id, c.id]);
      expect(await ids({ environment: 'prod' })).toEqual([c.id]);
      expect(await ids({ status: 'ok' })).toEqual([b.id]);
      expect(await ids({ status: ['ok', 'queued'], order: 'desc' })).toEqual([c.id, b.id, a.id]);
      expect(await ids({ status: [] })).toEqual([]);
      expect(await ids({ from: new Date(t0.getTime() + 60_000) })).toEqual([b.id, c.id]);
      expect(await ids({ to: new Date(t0.getTime() + 60_000) })).toEqual([a.id, b.id]);
      expect(await ids({ from: t0, to: t0 })).toEqual([a.id]);
      expect(await ids({ companyId: company.id + 1 })).toEqual([]);
      expect(await h.store.listInvoices({ limit: 0 })).toEqual([]);
      await expect(h.store.listInvoices({ limit: 2.5 })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
      expect(await h.store.getInvoice(c.id + 1)).toBeNull();
      expect(await h.store.getInvoiceXml(c.id + 1)).toBeNull();
    });
  });
}
