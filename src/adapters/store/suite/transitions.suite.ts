import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_STATUSES, canTransition, IllegalTransitionError, type InvoiceStatus } from '../../../domain/invoice-status.js';
import { addCompany, cause, createInvoice, driveTo, type StoreFactory, useStore } from './harness.js';

export function transitionsSuite(factory: StoreFactory): void {
  describe('transitions and events', () => {
    const h = useStore(factory);

    it('applies a patch with the status, counters as increments', async () => {
      const company = await addCompany(h.store);
      const inv = await driveTo(h.store, await createInvoice(h.store, company.id), 'uploading');
      h.clock.advance(2000);
      const uploadedAt = new Date(Date.UTC(2026, 0, 15, 9, 5));
      const next = new Date(Date.UTC(2026, 0, 15, 9, 10));
      const [updated] = await h.store.transition([
        {
          invoiceId: inv.id,
          from: 'uploading',
          to: 'processing',
          patch: { uploadId: '3001', uploadedAt, nextAttemptAt: next, addPlatformCalls: 2, addAttempts: 1, lastError: 'was slow' },
          cause: cause('upload-accepted', { uploadId: '3001' }),
        },
      ]);
      expect(updated).toMatchObject({
        status: 'processing',
        uploadId: '3001',
        uploadedAt,
        nextAttemptAt: next,
        platformCalls: inv.platformCalls + 2,
        attempts: inv.attempts + 1,
        lastError: 'was slow',
        downloadId: null,
      });
      expect(updated!.updatedAt).toEqual(h.clock.now());
      expect(await h.store.getInvoice(inv.id)).toEqual(updated);
      const [cleared] = await h.store.transition([
        {
          invoiceId: inv.id,
          from: 'processing',
          to: 'nok',
          patch: { nextAttemptAt: null, lastError: null, messages: [{ text: 'E1', source: 'status' }], addPlatformCalls: 1 },
          cause: cause('status:nok'),
        },
      ]);
      expect(cleared).toMatchObject({ nextAttemptAt: null, lastError: null, uploadId: '3001', platformCalls: inv.platformCalls + 3 });
      expect(cleared!.messages).toEqual([{ text: 'E1', source: 'status' }]);
    });

    it('is compare-and-set: the second of two identical moves gets null and changes nothing', async () => {
      const company = await addCompany(h.store);
      const inv = await driveTo(h.store, await createInvoice(h.store, company.id), 'processing');
      const request = { invoiceId: inv.id, from: 'processing' as const, to: 'ok' as const, patch: { downloadId: '9' }, cause: cause('status:ok') };
      const [first] = await h.store.transition([request]);
      const events = await h.store.listEvents(inv.id);
      const [second] = await h.store.transition([{ ...request, patch: { downloadId: '10' } }]);
      expect(first?.status).toBe('ok');
      expect(second).toBeNull();
      expect(await h.store.getInvoice(inv.id)).toEqual(first);
      expect(await h.store.listEvents(inv.id)).toEqual(events);
      expect(await h.store.transition([{ ...request, invoiceId: 987654 }])).toEqual([null]);
      expect(await h.store.transition([])).toEqual([]);
    });

    it('refuses an illegal transition before touching anything', async () => {
      const company = await addCompany(h.store);
      const a = await createInvoice(h.store, company.id);
      const b = await driveTo(h.store, await createInvoice(h.store, company.id), 'ok');
      const events = await h.store.listEvents(a.id);
      const attempt = h.store.transition([
        { invoiceId: a.id, from: 'queued', to: 'uploading', cause: cause() },
        { invoiceId: b.id, from: 'ok', to: 'nok', cause: cause() },
      ]);
      await expect(attempt).rejects.toBeInstanceOf(IllegalTransitionError);
      expect(await h.store.getInvoice(a.id)).toEqual(a);
      expect(await h.store.getInvoice(b.id)).toEqual(b);
      expect(await h.store.listEvents(a.id)).toEqual(events);
    });

    it('applies a batch all or nothing', async () => {
      const company = await addCompany(h.store);
      const a = await createInvoice(h.store, company.id);
      const b = await createInvoice(h.store, company.id);
      // the second request's details cannot be written (JSON has no BigInt): the whole batch fails
      const batch = h.store.transition([
        { invoiceId: a.id, from: 'queued', to: 'invalid', cause: cause('local-check') },
        { invoiceId: b.id, from: 'queued', to: 'invalid', cause: cause('local-check', { size: 10n }) },
      ]);
      await expect(batch).rejects.toThrow();
      expect(await h.store.getInvoice(a.id)).toEqual(a);
      expect(await h.store.getInvoice(b.id)).toEqual(b);
      expect(await h.store.listEvents(a.id)).toHaveLength(1);
      const results = await h.store.transition([
        { invoiceId: a.id, from: 'queued', to: 'invalid', cause: cause() },
        { invoiceId: b.id, from: 'uploading', to: 'processing', cause: cause() },
        { invoiceId: a.id, from: 'invalid', to: 'queued', cause: cause() },
      ]);
      expect(results.map((r) => r?.status ?? null)).toEqual(['invalid', null, 'queued']);
      expect((await h.store.listEvents(a.id)).map((e) => e.toStatus)).toEqual(['queued', 'invalid', 'queued']);
    });

    it('applies a large batch of mixed shapes exactly as one by one: misses, attempts, awkward text', async () => {
      const company = await addCompany(h.store);
      const queued = [];
      for (let i = 0; i < 30; i++) queued.push(await createInvoice(h.store, company.id));
      const claimed = await h.store.claimForUpload(company.id, 'test', 20, h.clock.now(), cause('claim'));
      const awkward = `it's "quoted", back\\slash, {braces}, comma, NULL, ș ț 🙂`;
      const at = new Date(Date.UTC(2026, 0, 15, 10));
      const requests = [
        // accepted uploads: upload id and date, a call counted, the attempt closed
        ...claimed.slice(0, 10).map((c) => ({
          invoiceId: c.invoice.id,
          from: 'uploading' as const,
          to: 'processing' as const,
          patch: { uploadId: `u-${c.invoice.id}`, uploadedAt: at, addPlatformCalls: 1, lastError: null },
          cause: cause('upload-accepted'),
          attempt: { id: c.attempt.id, outcome: 'accepted' as const, uploadId: `u-${c.invoice.id}`, note: null },
        })),
        // refused: messages with awkward text
        ...claimed.slice(10, 15).map((c) => ({
          invoiceId: c.invoice.id,
          from: 'uploading' as const,
          to: 'nok' as const,
          patch: { messages: [{ text: awkward, source: 'upload' as const }], resolvedAt: at, addPlatformCalls: 2 },
          cause: cause('upload-refused'),
          attempt: { id: c.attempt.id, outcome: 'refused' as const, uploadId: null, note: awkward },
        })),
        // misses: these are uploading, not queued
        ...claimed.slice(15, 20).map((c) => ({ invoiceId: c.invoice.id, from: 'queued' as const, to: 'invalid' as const, cause: cause('miss') })),
        // still queued ones: retry later with an error and an attempt counted, or no patch at all
        ...queued.slice(20, 25).map((q) => ({
          invoiceId: q.id,
          from: 'queued' as const,
          to: 'queued' as const,
          patch: { nextAttemptAt: at, lastError: awkward, addAttempts: 2 },
          cause: cause('retry'),
        })),
        ...queued.slice(25).map((q) => ({ invoiceId: q.id, from: 'queued' as const, to: 'invalid' as const, cause: cause('local-check') })),
      ];
      const results = await h.store.transition(requests);
      expect(results.map((r) => r?.status ?? null)).toEqual([
        ...Array(10).fill('processing'),
        ...Array(5).fill('nok'),
        ...Array(5).fill(null),
        ...Array(5).fill('queued'),
        ...Array(5).fill('invalid'),
      ]);
      for (const [i, r] of results.entries()) {
        if (r === null) continue;
        expect(r.id).toBe(requests[i]!.invoiceId);
        expect(await h.store.getInvoice(r.id)).toEqual(r);
      }
      expect(results[0]).toMatchObject({ uploadId: `u-${claimed[0]!.invoice.id}`, uploadedAt: at, platformCalls: 1, lastError: null });
      expect(results[10]).toMatchObject({ messages: [{ text: awkward, source: 'upload' }], resolvedAt: at, platformCalls: 2 });
      expect(results[20]).toMatchObject({ nextAttemptAt: at, lastError: awkward, attempts: 2 });
      expect((await h.store.listAttempts(claimed[0]!.invoice.id))[0]).toMatchObject({ outcome: 'accepted', uploadId: `u-${claimed[0]!.invoice.id}` });
      expect((await h.store.listAttempts(claimed[10]!.invoice.id))[0]).toMatchObject({ outcome: 'refused', note: awkward });
      expect((await h.store.listEvents(claimed[15]!.invoice.id)).map((e) => e.toStatus)).toEqual(['queued', 'uploading']);
      expect((await h.store.listEvents(queued[20]!.id)).map((e) => e.cause)).toEqual(['intake', 'retry']);

      // An attempt that does not exist fails the whole batch.
      const [x, y] = claimed.slice(15, 17);
      const failing = h.store.transition([
        { invoiceId: x!.invoice.id, from: 'uploading', to: 'processing', cause: cause(), attempt: { id: x!.attempt.id, outcome: 'accepted', uploadId: '1', note: null } },
        { invoiceId: y!.invoice.id, from: 'uploading', to: 'processing', cause: cause(), attempt: { id: 987654, outcome: 'accepted', uploadId: '2', note: null } },
      ]);
      await expect(failing).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await h.store.getInvoice(x!.invoice.id))?.status).toBe('uploading');
      expect((await h.store.listAttempts(x!.invoice.id))[0]?.outcome).toBe('claimed');
    });

    it('keeps a complete, append-only event chain over any legal walk', async () => {
      const company = await addCompany(h.store);
      const walk = fc.array(fc.nat(), { minLength: 1, maxLength: 12 });
      await fc.assert(
        fc.asyncProperty(walk, async (choices) => {
          let inv = await createInvoice(h.store, company.id);
          const seen = [...(await h.store.listEvents(inv.id))];
          for (const choice of choices) {
            const options = ALL_STATUSES.filter((to) => canTransition(inv.status, to));
            if (options.length === 0) break;
            const to: InvoiceStatus = options[choice % options.length]!;
            h.clock.advance(1000);
            const [next] = await h.store.transition([{ invoiceId: inv.id, from: inv.status, to, cause: cause(`walk:${to}`) }]);
            expect(next?.status).toBe(to);
            inv = next!;
            const events = await h.store.listEvents(inv.id);
            // append-only: what was there is unchanged, exactly one event was added
            expect(events.slice(0, seen.length)).toEqual(seen);
            expect(events).toHaveLength(seen.length + 1);
            seen.push(events.at(-1)!);
          }
          expect(seen[0]!.fromStatus).toBeNull();
          for (let i = 1; i < seen.length; i++) expect(seen[i]!.fromStatus).toBe(seen[i - 1]!.toStatus);
          expect(seen.at(-1)!.toStatus).toBe(inv.status);
          expect(seen.map((e) => e.at.getTime())).toEqual([...seen.map((e) => e.at.getTime())].sort((x, y) => x - y));
        }),
        { numRuns: 25 },
      );
    });

    it('finds invoices by upload id', async () => {
      const company = await addCompany(h.store);
      const a = await driveTo(h.store, await createInvoice(h.store, company.id), 'processing');
      const b = await driveTo(h.store, await createInvoice(h.store, company.id), 'ok');
      await driveTo(h.store, await createInvoice(h.store, company.id, { environment: 'prod' }), 'processing');
      const found = await h.store.findByUploadIds(company.id, 'test', [b.uploadId!, a.uploadId!, 'nope', a.uploadId!]);
      expect(found.map((i) => i.id)).toEqual([a.id, b.id]);
      expect(await h.store.findByUploadIds(company.id, 'test', [])).toEqual([]);
      const many = Array.from({ length: 1200 }, (_, i) => `x${i}`).concat([a.uploadId!]);
      expect((await h.store.findByUploadIds(company.id, 'test', many)).map((i) => i.id)).toEqual([a.id]);
    });
  });
}
