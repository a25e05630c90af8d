import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../../domain/invoice.js';
import type { PlatformCallRecord } from '../../../ports/call-ledger.js';
import type { InvoiceStatus } from '../../../domain/invoice-status.js';
import { GRID_SORTS, type GridCursor, type GridQuery, type GridSort } from '../../../ports/store.js';
import { addCompany, cause, driveTo, newInvoice, type StoreFactory, useStore } from './harness.js';

/** What each grid sort reads from an invoice (null sorts first ascending). */
function sortValue(inv: Invoice, sort: GridSort): string | number | null {
  switch (sort) {
    case 'created':
      return inv.id;
    case 'uploaded':
      return inv.uploadedAt?.getTime() ?? null;
    case 'status':
      return inv.status;
    case 'series':
      return inv.series;
    case 'number':
      return inv.number;
    case 'branch':
      return inv.origin.branch;
    case 'user':
      return inv.origin.user;
  }
}

function expectedOrder(all: Invoice[], sort: GridSort, dir: 'asc' | 'desc'): number[] {
  const sorted = [...all].sort((a, b) => {
    const va = sortValue(a, sort);
    const vb = sortValue(b, sort);
    const byValue = va === vb ? 0 : va === null ? -1 : vb === null ? 1 : va < vb ? -1 : 1;
    return byValue !== 0 ? byValue : a.id - b.id;
  });
  if (dir === 'desc') sorted.reverse();
  return sorted.map((i) => i.id);
}

export function gridSuite(factory: StoreFactory): void {
  describe("the dashboard's grid", () => {
    const h = useStore(factory);

    async function seed(): Promise<{ companyId: number; invoices: Invoice[] }> {
      const company = await addCompany(h.store);
      const other = await addCompany(h.store, '2222222');
      const targets: InvoiceStatus[] = ['queued', 'processing', 'nok', 'downloaded', 'queued', 'ok'];
      const invoices: Invoice[] = [];
      for (let i = 0; i < 17; i++) {
        const spec = newInvoice(company.id, { series: ['a', 'b', 'c'][i % 3]!, number: String(100 + ((i * 7) % 11)), invoiceId: `X${i}` });
        spec.origin = { ...spec.origin, branch: i % 4 === 0 ? null : ['iasi', 'cluj'][i % 2]!, user: i % 5 === 0 ? null : `u${i % 3}` };
        const created = await h.store.intake(spec, cause('intake'));
        if (created.kind !== 'created') throw new Error(created.kind);
        h.clock.advance(1000);
        invoices.push(await driveTo(h.store, created.invoice, targets[i % targets.length]!));
      }
      await h.store.intake(newInvoice(other.id), cause('intake'));
      return { companyId: company.id, invoices };
    }

    async function readAll(q: Omit<GridQuery, 'limit' | 'after'>, limit: number): Promise<number[]> {
      const ids: number[] = [];
      let after: GridCursor | undefined;
      for (let guard = 0; guard < 100; guard++) {
        const page = await h.store.queryGrid({ ...q, limit, ...(after ? { after } : {}) });
        ids.push(...page.items.map((i) => i.id));
        if (page.next === null) return ids;
        // A cursor survives a JSON round trip (it travels through the API as text).
        after = JSON.parse(JSON.stringify(page.next)) as GridCursor;
      }
      throw new Error('paging did not end');
    }

    it('pages through every sort in both directions in the same order as a full sort, nulls first ascending', async () => {
      const { companyId, invoices } = await seed();
      for (const sort of GRID_SORTS) {
        for (const dir of ['asc', 'desc'] as const) {
          expect(await readAll({ companyId, sort, dir }, 4), `${sort} ${dir}`).toEqual(expectedOrder(invoices, sort, dir));
        }
      }
    });

    it('filters by equality and counts with a cap', async () => {
      const { companyId, invoices } = await seed();
      const queued = invoices.filter((i) => i.status === 'queued' && i.origin.branch === 'cluj');
      const ids = await readAll({ companyId, sort: 'uploaded', dir: 'desc', status: ['queued'], branch: 'cluj' }, 2);
      expect(ids).toEqual(expectedOrder(queued, 'uploaded', 'desc'));
      expect(await h.store.countGrid({ companyId }, 100)).toEqual({ count: 17, capped: false });
      expect(await h.store.countGrid({ companyId }, 10)).toEqual({ count: 10, capped: true });
      expect(await h.store.countGrid({ companyId, status: ['nok'], user: 'u1' }, 100)).toEqual({
        count: invoices.filter((i) => i.status === 'nok' && i.origin.user === 'u1').length,
        capped: false,
      });
    });

    it('feeds events in order with their company, and counts per day and per minute', async () => {
      const { companyId, invoices } = await seed();
      const last = await h.store.lastEventId();
      expect(last).toBeGreaterThan(0);
      const all = await h.store.listEventsSince(0, 1000);
      expect(all.at(-1)!.id).toBe(last);
      expect(all.filter((e) => e.companyId === companyId).length).toBeGreaterThan(invoices.length);
      const later = await h.store.listEventsSince(all[3]!.id, 2);
      expect(later.map((e) => e.id)).toEqual([all[4]!.id, all[5]!.id]);

      const perDay = await h.store.invoicesPerDay(companyId, new Date(Date.UTC(2026, 0, 1)));
      expect(perDay.reduce((n, r) => n + r.count, 0)).toBe(invoices.length);
      expect(perDay.every((r) => r.day === '2026-01-15')).toBe(true);

      const t = h.clock.now();
      await h.store.recordCalls(
        [0, 1, 61].map((s): PlatformCallRecord => ({
          at: new Date(t.getTime() + s * 1000),
          instance: '1',
          platform: 'anaf',
          environment: 'test',
          endpoint: 'upload',
          companyCif: '1234567',
          invoiceId: null,
          httpStatus: 200,
          durationMs: 5,
          outcome: 'ok',
          message: null,
        })),
      );
      const perMinute = await h.store.callsPerMinute(new Date(t.getTime() - 120_000));
      expect(perMinute.reduce((n, r) => n + r.count, 0)).toBe(3);
      expect(perMinute.every((r) => r.minute.getTime() % 60_000 === 0)).toBe(true);
    });
  });
}
