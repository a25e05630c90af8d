import { describe, expect, it } from 'vitest';
import { EfactError } from '../../../domain/errors.js';
import { addCompany, createInvoice, type StoreFactory, useStore } from './harness.js';

export function companiesSuite(factory: StoreFactory, reopenable: boolean): void {
  describe('migrations and companies', () => {
    const h = useStore(factory);

    it('runs migrations again without harm', async () => {
      const company = await addCompany(h.store);
      await h.store.migrate();
      await h.store.migrate();
      expect(await h.store.getCompany(company.id)).toEqual(company);
    });

    it('inserts a company with sending enabled', async () => {
      const c = await h.store.upsertCompany({
        cif: '1234567',
        shortName: 'ACME',
        name: 'Acme SRL',
        environment: 'test',
        exportFolder: '/erp/export',
        partitionFilter: "branch = 'Iasi'",
      });
      expect(c).toMatchObject({
        cif: '1234567',
        shortName: 'ACME',
        name: 'Acme SRL',
        environment: 'test',
        exportFolder: '/erp/export',
        partitionFilter: "branch = 'Iasi'",
        sendingEnabled: true,
      });
      expect(c.createdAt).toEqual(h.clock.now());
      expect(await h.store.getCompanyByCif('1234567')).toEqual(c);
      expect(await h.store.getCompany(c.id)).toEqual(c);
    });

    it('updates the company with the same CIF instead of adding one', async () => {
      const first = await h.store.upsertCompany({
        cif: '1234567',
        shortName: 'ACME',
        name: 'Acme SRL',
        environment: 'test',
        exportFolder: '/erp/export',
      });
      await h.store.setSendingEnabled(first.id, false);
      h.clock.advance(60_000);
      const second = await h.store.upsertCompany({ cif: '1234567', shortName: 'ACME2', name: 'Acme Two SRL', environment: 'test' });
      expect(second.id).toBe(first.id);
      expect(second).toMatchObject({ shortName: 'ACME2', name: 'Acme Two SRL', exportFolder: '/erp/export', sendingEnabled: false });
      expect(second.createdAt).toEqual(first.createdAt);
      expect(second.updatedAt.getTime()).toBe(first.updatedAt.getTime() + 60_000);
      const cleared = await h.store.upsertCompany({ cif: '1234567', shortName: 'ACME2', name: 'Acme Two SRL', environment: 'test', exportFolder: null });
      expect(cleared.exportFolder).toBeNull();
      expect(await h.store.listCompanies()).toHaveLength(1);
    });

    it('lists companies in creation order and finds nothing unknown', async () => {
      const a = await addCompany(h.store, '1111111');
      const b = await addCompany(h.store, '2222222', 'prod');
      expect((await h.store.listCompanies()).map((c) => c.id)).toEqual([a.id, b.id]);
      expect(await h.store.getCompany(b.id + 100)).toBeNull();
      expect(await h.store.getCompanyByCif('9999999')).toBeNull();
    });

    it('starts and stops sending per company', async () => {
      const a = await addCompany(h.store, '1111111');
      const b = await addCompany(h.store, '2222222');
      await h.store.setSendingEnabled(a.id, false);
      expect((await h.store.getCompany(a.id))?.sendingEnabled).toBe(false);
      expect((await h.store.getCompany(b.id))?.sendingEnabled).toBe(true);
      await h.store.setSendingEnabled(a.id, true);
      expect((await h.store.getCompany(a.id))?.sendingEnabled).toBe(true);
      await expect(h.store.setSendingEnabled(a.id + 100, false)).rejects.toMatchObject({ code: 'UNKNOWN_COMPANY' });
    });

    it.runIf(reopenable)('keeps everything across a close and reopen', async () => {
      if (h.sut.reopen === undefined) throw new Error('the factory gave no reopen');
      const company = await addCompany(h.store);
      const invoice = await createInvoice(h.store, company.id);
      const xml = await h.store.getInvoiceXml(invoice.id);
      const events = await h.store.listEvents(invoice.id);
      await h.store.close();
      h.store = await h.sut.reopen();
      expect(await h.store.getCompany(company.id)).toEqual(company);
      expect(await h.store.getInvoice(invoice.id)).toEqual(invoice);
      expect(await h.store.getInvoiceXml(invoice.id)).toEqual(xml);
      expect(await h.store.listEvents(invoice.id)).toEqual(events);
    });

    it.runIf(reopenable)('shares one database between two connections (the CLI beside the server)', async () => {
      if (h.sut.reopen === undefined) throw new Error('the factory gave no reopen');
      const other = await h.sut.reopen();
      h.extra.push(other);
      const company = await addCompany(h.store);
      const fromOther = await createInvoice(other, company.id);
      expect(await h.store.getInvoice(fromOther.id)).toEqual(fromOther);
      const fromFirst = await createInvoice(h.store, company.id);
      await other.migrate();
      expect(await other.getInvoice(fromFirst.id)).toEqual(fromFirst);
      expect(await h.store.listInvoices({ companyId: company.id, limit: 10 })).toHaveLength(2);
    });

    it('refuses an unknown company id as a typed error', async () => {
      const error = await h.store.setSendingEnabled(42, true).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EfactError);
    });
  });
}
