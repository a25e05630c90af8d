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
          outcome: 'claimed',
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
  
    it('marks a claim sending only while it is still claimed, with the moment of sending', async () => {
      const company = await addCompany(h.store);
      await createInvoice(h.store, company.id);
      const [c] = await h.store.claimForUpload(company.id, 'test', 1, h.clock.now(), cause('claim'));
      const sentAt = new Date(h.clock.now().getTime() + 7000);
      expect(await h.store.markAttemptSending(c!.attempt.id, sentAt)).toBe(true);
      expect((await h.store.listAttempts(c!.invoice.id))[0]).toMatchObject({ outcome: 'sending', startedAt: sentAt, finishedAt: null });
      // Not twice, and not once it is no longer a claim.
      expect(await h.store.markAttemptSending(c!.attempt.id, sentAt)).toBe(false);
      expect(await h.store.markAttemptSending(9999, sentAt)).toBe(false);
    });

    it('a stop mid-batch: claims never sent go back to the queue at once, no reconciliation; the sent one stays open', async () => {
      const company = await addCompany(h.store);
      for (let i = 0; i < 4; i++) await createInvoice(h.store, company.id);
      const claimed = await h.store.claimForUpload(company.id, 'test', 4, h.clock.now(), cause('claim'));
      expect(claimed).toHaveLength(4);
      // One request had left when the process died (SIGKILL): its record says 'sending'.
      expect(await h.store.markAttemptSending(claimed[0]!.attempt.id, h.clock.now())).toBe(true);
      // Another instance's claims are not touched by this one's restart.
      const other = await createInvoice(h.store, company.id);
      const [theirs] = await h.store.claimForUpload(company.id, 'test', 1, h.clock.now(), { instance: 'test-2', cause: 'claim' });
      expect(theirs!.invoice.id).toBe(other.id);

      h.clock.advance(1000);
      const released = await h.store.releaseClaims({ instance: 'test-1' }, cause('upload-claim-released'));
      const unsent = claimed.slice(1).map((c) => c.invoice.id);
      expect(released).toEqual(unsent);
      for (const id of unsent) {
        const inv = await h.store.getInvoice(id);
        expect(inv).toMatchObject({ status: 'queued', nextAttemptAt: null });
        expect((await h.store.listAttempts(id)).map((a) => a.outcome)).toEqual(['not-sent']);
        expect((await h.store.listEvents(id)).at(-1)).toMatchObject({ fromStatus: 'uploading', toStatus: 'queued', cause: 'upload-claim-released' });
      }
      expect((await h.store.getInvoice(claimed[0]!.invoice.id))?.status).toBe('uploading');
      expect((await h.store.listOpenAttempts()).map((a) => [a.invoiceId, a.outcome])).toEqual([
        [claimed[0]!.invoice.id, 'sending'],
        [other.id, 'claimed'],
      ]);
      // The dead claimer's late hook finds its claim gone and sends nothing.
      expect(await h.store.markAttemptSending(claimed[1]!.attempt.id, h.clock.now())).toBe(false);
      // Anyone may claim them again, at once.
      const again = await h.store.claimForUpload(company.id, 'test', 10, h.clock.now(), { instance: 'test-3', cause: 'claim' });
      expect(again.map((c) => c.invoice.id)).toEqual(unsent);
    });

    it('gives back claims older than a lease, whoever made them', async () => {
      const company = await addCompany(h.store);
      const a = await createInvoice(h.store, company.id);
      const b = await createInvoice(h.store, company.id);
      const [old] = await h.store.claimForUpload(company.id, 'test', 1, h.clock.now(), { instance: 'gone', cause: 'claim' });
      h.clock.advance(60_000);
      await h.store.claimForUpload(company.id, 'test', 1, h.clock.now(), { instance: 'alive', cause: 'claim' });
      expect(await h.store.releaseClaims({}, cause('noop'))).toEqual([]);
      expect(await h.store.releaseClaims({ claimedBefore: new Date(h.clock.now().getTime() - 30_000) }, cause('expired'))).toEqual([a.id]);
      expect((await h.store.getInvoice(old!.invoice.id))?.status).toBe('queued');
      expect((await h.store.getInvoice(b.id))?.status).toBe('uploading');
    });
});
}
