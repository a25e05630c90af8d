import { describe, expect, it } from 'vitest';
import { addCompany, cause, createInvoice, type StoreFactory, useStore } from './harness.js';

export function claimsSuite(factory: StoreFactory): void {
  describe('claims and upload attempts', () => {
    const h = useStore(factory);

    it('moves queued invoices to uploading with an attempt and an event each', async () => {
      const company = await addCompany(h.store);
      const a = await createInvoice(h.store, company.id);
      const b = await createInvoice(h.store, company.id);
      h.clock.advance(5000);
      const now = h.clock.now();
      const claimed = await h.store.claimForUpload(company.id, 'test', 10, now, cause('claim'));
      expect(claimed.map((c) => c.invoice.id)).toEqual([a.id, b.id]);
      for (const { invoice, attempt } of claimed) {
        expect(invoice).toMatchObject({ status: 'uploading', attempts: 1 });
        expect(invoice.updatedAt).toEqual(now);
        expect(attempt).toMatchObject({
          invoiceId: invoice.id,
          companyId: company.id,
          environment: 'test',
          instance: 'test-1',
          contentHash: invoice.contentHash,
          finishedAt: null,
          outcome: 'sending',
          uploadId: null,
          note: null,
        });
        expect(attempt.startedAt).toEqual(now);
        expect(await h.store.getInvoice(invoice.id)).toEqual(invoice);
        expect(await h.store.listAttempts(invoice.id)).toEqual([attempt]);
        const events = await h.store.listEvents(invoice.id);
        expect(events.at(-1)).toMatchObject({ fromStatus: 'queued', toStatus: 'uploading', cause: 'claim', details: { attemptId: attempt.id } });
      }
      expect((await h.store.listOpenAttempts()).map((x) => x.id)).toEqual(claimed.map((c) => c.attempt.id));
    });

    it('claims oldest first, at most the limit, and never the same invoice twice', async () => {
      const company = await addCompany(h.store);
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await createInvoice(h.store, company.id)).id);
      const now = h.clock.now();
      const first = await h.store.claimForUpload(company.id, 'test', 3, now, cause());
      const second = await h.store.claimForUpload(company.id, 'test', 3, now, cause());
      const third = await h.store.claimForUpload(company.id, 'test', 3, now, cause());
      expect(first.map((c) => c.invoice.id)).toEqual(ids.slice(0, 3));
      expect(second.map((c) => c.invoice.id)).toEqual(ids.slice(3));
      expect(third).toEqual([]);
      expect(await h.store.claimForUpload(company.id, 'test', 0, now, cause())).toEqual([]);
    });

    it('takes at most MAX_CLAIM (500) in one claim, whatever the limit', async () => {
      const company = await addCompany(h.store);
      for (let i = 0; i < 510; i++) await createInvoice(h.store, company.id);
      expect(await h.store.claimForUpload(company.id, 'test', 10_000, h.clock.now(), cause())).toHaveLength(500);
      expect(await h.store.claimForUpload(company.id, 'test', 10_000, h.clock.now(), cause())).toHaveLength(10);
    });

    it('waits for next_attempt_at', async () => {
      const company = await addCompany(h.store);
      const inv = await createInvoice(h.store, company.id);
      const later = new Date(h.clock.now().getTime() + 60_000);
      await h.store.transition([{ invoiceId: inv.id, from: 'queued', to: 'queued', patch: { nextAttemptAt: later }, cause: cause('retry-later') }]);
      expect(await h.store.claimForUpload(company.id, 'test', 10, new Date(later.getTime() - 1), cause())).toEqual([]);
      const claimed = await h.store.claimForUpload(company.id, 'test', 10, later, cause());
      expect(claimed.map((c) => c.invoice.id)).toEqual([inv.id]);
    });

    it('claims only the given company and environment', async () => {
      const a = await addCompany(h.store, '1111111');
      const b = await addCompany(h.store, '2222222');
      await createInvoice(h.store, a.id);
      const prod = await createInvoice(h.store, a.id, { environment: 'prod' });
      const other = await createInvoice(h.store, b.id);
      const claimed = await h.store.claimForUpload(a.id, 'prod', 10, h.clock.now(), cause());
      expect(claimed.map((c) => c.invoice.id)).toEqual([prod.id]);
      expect((await h.store.getInvoice(other.id))?.status).toBe('queued');
    });

    it('records how an attempt ended and keeps the history', async () => {
      const company = await addCompany(h.store);
      const inv = await createInvoice(h.store, company.id);
      const [first] = await h.store.claimForUpload(company.id, 'test', 1, h.clock.now(), cause());
      const end = new Date(h.clock.now().getTime() + 800);
      await h.store.finishAttempt(first!.attempt.id, 'not-sent', null, 'connection refused', end);
      await h.store.transition([{ invoiceId: inv.id, from: 'uploading', to: 'queued', cause: cause('not-sent') }]);
      const [second] = await h.store.claimForUpload(company.id, 'test', 1, h.clock.now(), cause());
      expect(second!.invoice.attempts).toBe(2);
      await h.store.finishAttempt(second!.attempt.id, 'uncertain', null, 'timeout', end);
      const attempts = await h.store.listAttempts(inv.id);
      expect(attempts.map((a) => a.outcome)).toEqual(['not-sent', 'uncertain']);
      expect(attempts[0]).toMatchObject({ finishedAt: end, note: 'connection refused' });
      expect((await h.store.listOpenAttempts()).map((a) => a.id)).toEqual([second!.attempt.id]);
      await h.store.finishAttempt(second!.attempt.id, 'reconciled', '5001', 'found in message list', end);
      expect(await h.store.listOpenAttempts()).toEqual([]);
      expect((await h.store.listAttempts(inv.id))[1]).toMatchObject({ outcome: 'reconciled', uploadId: '5001' });
      await expect(h.store.finishAttempt(9999, 'accepted', 'x', null, end)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
}
