import { describe, expect, it } from 'vitest';
import type { InvoiceStatus } from '../../../domain/invoice-status.js';
import { addCompany, cause, createInvoice, driveTo, newInvoice, type StoreFactory, useStore } from './harness.js';

export function promoteSuite(factory: StoreFactory): void {
  describe('promote test → prod (Reset eFact)', () => {
    const h = useStore(factory);

    it('turns every live test invoice into a queued production invoice, clearing what the test platform said', async () => {
      const company = await addCompany(h.store);
      const other = await addCompany(h.store, '2222222');
      const states: InvoiceStatus[] = ['queued', 'processing', 'ok', 'downloaded', 'nok', 'invalid', 'needs-attention'];
      const before = [];
      for (const s of states) before.push(await driveTo(h.store, await createInvoice(h.store, company.id), s));
      const nok = await driveTo(h.store, await createInvoice(h.store, company.id, { number: 'S1' }), 'nok');
      const superseding = await h.store.intake(newInvoice(company.id, { number: 'S1' }), cause());
      if (superseding.kind !== 'superseded') throw new Error(superseding.kind);
      await h.store.transition([
        { invoiceId: before[0]!.id, from: 'queued', to: 'queued', patch: { nextAttemptAt: new Date(Date.UTC(2027, 0, 1)), lastError: 'x' }, cause: cause() },
      ]);
      const untouched = await createInvoice(h.store, other.id);
      h.clock.advance(10_000);

      const moved = await h.store.promoteToProd(company.id, cause('promote', { by: 'ana' }));
      expect(moved).toBe(states.length + 1);
      for (const old of [...before, superseding.invoice]) {
        const inv = await h.store.getInvoice(old.id);
        expect(inv).toMatchObject({
          environment: 'prod',
          status: 'queued',
          uploadId: null,
          uploadedAt: null,
          downloadId: null,
          resolvedAt: null,
          downloadedAt: null,
          archivePath: null,
          messages: [],
          nextAttemptAt: null,
          lastError: null,
          attempts: 0,
          contentHash: old.contentHash,
          platformCalls: old.platformCalls,
        });
        expect(inv!.updatedAt).toEqual(h.clock.now());
        expect(await h.store.getInvoiceXml(old.id)).not.toBeNull();
        const last = (await h.store.listEvents(old.id)).at(-1);
        expect(last).toMatchObject({
          fromStatus: old.status,
          toStatus: 'queued',
          cause: 'promote',
          details: { by: 'ana', promotedFromTest: true, testStatus: old.status, testUploadId: old.uploadId, testDownloadId: old.downloadId },
        });
      }
      expect(await h.store.getInvoice(nok.id)).toMatchObject({ environment: 'test', status: 'superseded' });
      expect(await h.store.getInvoice(untouched.id)).toEqual(untouched);
      expect((await h.store.getCompany(company.id))?.environment).toBe('prod');
      expect((await h.store.getCompany(other.id))?.environment).toBe('test');
      const claimed = await h.store.claimForUpload(company.id, 'prod', 100, h.clock.now(), cause());
      expect(claimed).toHaveLength(moved);
    });

    it('refuses a company already in production, and an unknown one', async () => {
      const company = await addCompany(h.store);
      await createInvoice(h.store, company.id);
      expect(await h.store.promoteToProd(company.id, cause('promote'))).toBe(1);
      await expect(h.store.promoteToProd(company.id, cause('promote'))).rejects.toMatchObject({ code: 'WRONG_ENVIRONMENT' });
      const prod = await addCompany(h.store, '3333333', 'prod');
      await expect(h.store.promoteToProd(prod.id, cause('promote'))).rejects.toMatchObject({ code: 'WRONG_ENVIRONMENT' });
      await expect(h.store.promoteToProd(prod.id + 100, cause('promote'))).rejects.toMatchObject({ code: 'UNKNOWN_COMPANY' });
    });

    it('moves a company with no invoices', async () => {
      const company = await addCompany(h.store);
      expect(await h.store.promoteToProd(company.id, cause('promote'))).toBe(0);
      expect((await h.store.getCompany(company.id))?.environment).toBe('prod');
    });
  });
}
