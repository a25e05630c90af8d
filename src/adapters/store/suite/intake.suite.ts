import { describe, expect, it } from 'vitest';
import { SUPERSEDABLE_STATUSES, type InvoiceStatus } from '../../../domain/invoice-status.js';
import {
  addCompany,
  cause,
  createInvoice,
  driveTo,
  newInvoice,
  type StoreFactory,
  useStore,
} from './harness.js';

const CONFLICTING: InvoiceStatus[] = ['uploading', 'processing', 'ok', 'downloaded'];

export function intakeSuite(factory: StoreFactory): void {
  describe('intake', () => {
    const h = useStore(factory);

    it('creates a queued invoice with its XML and a creation event', async () => {
      const company = await addCompany(h.store);
      const input = newInvoice(company.id, { series: 'FX', number: '0042' });
      const result = await h.store.intake(input, cause('intake:folder', { file: 'FX0042.xml' }));
      expect(result.kind).toBe('created');
      if (result.kind !== 'created') return;
      const inv = result.invoice;
      expect(inv).toMatchObject({
        companyId: company.id,
        environment: 'test',
        status: 'queued',
        standard: 'UBL',
        flags: { extern: false },
        b2c: false,
        series: 'FX',
        number: '0042',
        invoiceId: 'FX0042',
        issueDate: '2026-01-15',
        supplierCif: '1234567',
        contentHash: input.contentHash,
        sizeBytes: input.xml.byteLength,
        origin: input.origin,
        uploadId: null,
        uploadedAt: null,
        downloadId: null,
        resolvedAt: null,
        downloadedAt: null,
        archivePath: null,
        messages: [],
        platformCalls: 0,
        supersedesId: null,
        nextAttemptAt: null,
        attempts: 0,
        lastError: null,
      });
      expect(inv.createdAt).toEqual(h.clock.now());
      expect(await h.store.getInvoice(inv.id)).toEqual(inv);
      expect(await h.store.getInvoiceXml(inv.id)).toEqual(input.xml);
      const events = await h.store.listEvents(inv.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        invoiceId: inv.id,
        instance: 'test-1',
        fromStatus: null,
        toStatus: 'queued',
        cause: 'intake:folder',
        details: { file: 'FX0042.xml' },
      });
      expect(events[0]!.at).toEqual(h.clock.now());
    });

    it('answers duplicate for the very same bytes and queues nothing', async () => {
      const company = await addCompany(h.store);
      const input = newInvoice(company.id);
      const first = await h.store.intake(input, cause());
      const again = await h.store.intake(input, cause());
      expect(again.kind).toBe('duplicate');
      if (first.kind !== 'created' || again.kind !== 'duplicate') return;
      expect(again.invoice).toEqual(first.invoice);
      expect(await h.store.listInvoices({ companyId: company.id, limit: 10 })).toHaveLength(1);
      expect(await h.store.listEvents(first.invoice.id)).toHaveLength(1);
    });

    it('answers duplicate for the same bytes even once the invoice has been sent', async () => {
      const company = await addCompany(h.store);
      const input = newInvoice(company.id);
      const first = await h.store.intake(input, cause());
      if (first.kind !== 'created') throw new Error('not created');
      await driveTo(h.store, first.invoice, 'downloaded');
      expect((await h.store.intake(input, cause())).kind).toBe('duplicate');
    });

    it('does not call the same bytes in another company a duplicate', async () => {
      const a = await addCompany(h.store, '1111111');
      const b = await addCompany(h.store, '2222222');
      const xml = '<Invoice>same</Invoice>';
      await createInvoice(h.store, a.id, { xml });
      expect((await h.store.intake(newInvoice(b.id, { xml }), cause())).kind).toBe('created');
    });

    for (const state of ['queued', ...SUPERSEDABLE_STATUSES] as InvoiceStatus[]) {
      it(`supersedes a ${state} invoice with a corrected file for the same number`, async () => {
        const company = await addCompany(h.store);
        const old = await driveTo(h.store, await createInvoice(h.store, company.id, { series: 'F', number: '7' }), state);
        const before = await h.store.listEvents(old.id);
        h.clock.advance(1000);
        const result = await h.store.intake(newInvoice(company.id, { series: 'F', number: '7' }), cause('intake:api'));
        expect(result.kind).toBe('superseded');
        if (result.kind !== 'superseded') return;
        expect(result.replaced).toMatchObject({ id: old.id, status: 'superseded' });
        expect(result.invoice).toMatchObject({ status: 'queued', supersedesId: old.id, invoiceId: 'F7' });
        expect(await h.store.getInvoice(old.id)).toEqual(result.replaced);
        const after = await h.store.listEvents(old.id);
        expect(after.slice(0, before.length)).toEqual(before);
        expect(after.slice(before.length)).toEqual([
          expect.objectContaining({
            fromStatus: state,
            toStatus: 'superseded',
            cause: 'superseded',
            details: { supersededBy: result.invoice.id, intakeCause: 'intake:api' },
          }),
        ]);
        expect(await h.store.listEvents(result.invoice.id)).toEqual([expect.objectContaining({ fromStatus: null, toStatus: 'queued' })]);
      });
    }

    for (const state of CONFLICTING) {
      it(`refuses a second file for a number that is ${state} at the platform, writing nothing`, async () => {
        const company = await addCompany(h.store);
        const old = await driveTo(h.store, await createInvoice(h.store, company.id, { series: 'F', number: '8' }), state);
        const events = await h.store.listEvents(old.id);
        const result = await h.store.intake(newInvoice(company.id, { series: 'F', number: '8' }), cause());
        expect(result).toEqual({ kind: 'conflict', existing: old });
        expect(await h.store.getInvoice(old.id)).toEqual(old);
        expect(await h.store.listEvents(old.id)).toEqual(events);
        expect(await h.store.listInvoices({ companyId: company.id, limit: 10 })).toHaveLength(1);
      });
    }

    it('never matches a superseded invoice again, but does match its successor', async () => {
      const company = await addCompany(h.store);
      const first = await driveTo(h.store, await createInvoice(h.store, company.id, { number: '9' }), 'nok');
      const second = await h.store.intake(newInvoice(company.id, { number: '9' }), cause());
      if (second.kind !== 'superseded') throw new Error(second.kind);
      const third = await h.store.intake(newInvoice(company.id, { number: '9' }), cause());
      expect(third).toMatchObject({ kind: 'superseded', replaced: { id: second.invoice.id } });
      expect((await h.store.getInvoice(first.id))?.status).toBe('superseded');
    });

    it('keeps the environments apart', async () => {
      const company = await addCompany(h.store);
      await driveTo(h.store, await createInvoice(h.store, company.id, { number: '10' }), 'processing');
      const prod = await h.store.intake(newInvoice(company.id, { number: '10', environment: 'prod' }), cause());
      expect(prod.kind).toBe('created');
    });

    it('never treats two files without an invoice id as the same invoice', async () => {
      const company = await addCompany(h.store);
      const a = await createInvoice(h.store, company.id, { series: '', number: '', invoiceId: '' });
      const b = await h.store.intake(newInvoice(company.id, { series: '', number: '', invoiceId: '' }), cause());
      expect(b.kind).toBe('created');
      expect((await h.store.getInvoice(a.id))?.status).toBe('queued');
    });

    it('refuses an invoice for an unknown company', async () => {
      await expect(h.store.intake(newInvoice(4242), cause())).rejects.toMatchObject({ code: 'UNKNOWN_COMPANY' });
    });

    it('matches on the full invoice id, not on series and number apart', async () => {
      const company = await addCompany(h.store);
      await driveTo(h.store, await createInvoice(h.store, company.id, { series: 'A', number: '1', invoiceId: 'A-1' }), 'processing');
      const other = await h.store.intake(newInvoice(company.id, { series: 'A', number: '1', invoiceId: 'A1' }), cause());
      expect(other.kind).toBe('created');
    });
  });
}
