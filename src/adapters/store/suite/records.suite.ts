import { describe, expect, it } from 'vitest';
import type { PlatformCallRecord } from '../../../ports/call-ledger.js';
import type { IncomingMessageInput } from '../../../ports/store.js';
import { addCompany, createInvoice, driveTo, type StoreFactory, useStore } from './harness.js';

function call(i: number, over: Partial<PlatformCallRecord> = {}): PlatformCallRecord {
  return {
    at: new Date(Date.UTC(2026, 0, 15, 9, 0, 0) + i * 1000),
    instance: '1',
    platform: 'anaf',
    environment: 'test',
    endpoint: 'stareMesaj',
    companyCif: '1234567',
    invoiceId: null,
    httpStatus: 200,
    durationMs: 12.4,
    outcome: 'ok',
    message: null,
    ...over,
  };
}

function message(companyId: number, messageId: string, over: Partial<IncomingMessageInput> = {}): IncomingMessageInput {
  return {
    companyId,
    environment: 'test',
    messageId,
    uploadId: `u${messageId}`,
    kind: 'invoice-received',
    rawType: 'FACTURA PRIMITA',
    details: 'Factura cu id_incarcare=... emisa de cif_emitent=8000000000 pentru cif_beneficiar=1234567',
    platformCreatedAt: new Date(Date.UTC(2026, 0, 14, 8, 30)),
    ...over,
  };
}

export function recordsSuite(factory: StoreFactory): void {
  describe('ledger, incoming messages, engine state, counts', () => {
    const h = useStore(factory);

    it('records platform calls in batches and counts them by invoice, company and time', async () => {
      const calls: PlatformCallRecord[] = [];
      for (let i = 0; i < 3000; i++) calls.push(call(i, { invoiceId: i % 3 === 0 ? 7 : null, companyCif: i % 2 === 0 ? '1234567' : '7654321' }));
      calls.push(call(3000, { httpStatus: null, outcome: 'retryable', message: 'socket hang up', invoiceId: 8 }));
      await h.store.recordCalls(calls);
      await h.store.recordCalls([]);
      expect(await h.store.countCalls({})).toBe(3001);
      expect(await h.store.countCalls({ invoiceId: 7 })).toBe(1000);
      expect(await h.store.countCalls({ invoiceId: 8 })).toBe(1);
      expect(await h.store.countCalls({ companyCif: '1234567' })).toBe(1501);
      expect(await h.store.countCalls({ since: new Date(Date.UTC(2026, 0, 15, 9, 0, 0) + 2000 * 1000) })).toBe(1001);
      expect(await h.store.countCalls({ invoiceId: 7, companyCif: '1234567', since: new Date(Date.UTC(2026, 0, 15, 9, 0, 0) + 2000 * 1000) })).toBe(166);
    });

    it('stores each incoming message once', async () => {
      const company = await addCompany(h.store);
      const first = await h.store.addIncomingMessages([message(company.id, '100'), message(company.id, '101')]);
      expect(first.map((m) => m.messageId)).toEqual(['100', '101']);
      expect(first[0]).toMatchObject({
        companyId: company.id,
        environment: 'test',
        uploadId: 'u100',
        kind: 'invoice-received',
        rawType: 'FACTURA PRIMITA',
        platformCreatedAt: new Date(Date.UTC(2026, 0, 14, 8, 30)),
        downloadedAt: null,
        archivePath: null,
        summary: null,
      });
      expect(first[0]!.discoveredAt).toEqual(h.clock.now());
      const again = await h.store.addIncomingMessages([
        message(company.id, '101'),
        message(company.id, '102', { platformCreatedAt: null }),
        message(company.id, '102'),
        message(company.id, '100', { environment: 'prod' }),
      ]);
      expect(again.map((m) => [m.messageId, m.environment])).toEqual([
        ['102', 'test'],
        ['100', 'prod'],
      ]);
      expect(await h.store.addIncomingMessages([])).toEqual([]);
      const listed = await h.store.listIncomingMessages(company.id, 10);
      expect(listed.map((m) => m.messageId)).toEqual(['100', '102', '101', '100']);
      expect(await h.store.listIncomingMessages(company.id, 2)).toHaveLength(2);
    });

    it('marks an incoming message downloaded with its summary', async () => {
      const company = await addCompany(h.store);
      const [m] = await h.store.addIncomingMessages([message(company.id, '200')]);
      const at = new Date(Date.UTC(2026, 0, 15, 10, 0));
      await h.store.markIncomingDownloaded(m!.id, 'in/1234567/2026-01/200.zip', { supplier: 'Furnizor SRL', amount: '119.00' }, at);
      const [stored] = await h.store.listIncomingMessages(company.id, 1);
      expect(stored).toMatchObject({ archivePath: 'in/1234567/2026-01/200.zip', summary: { supplier: 'Furnizor SRL', amount: '119.00' }, downloadedAt: at });
      await expect(h.store.markIncomingDownloaded(m!.id + 50, 'x', null, at)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('keeps the engine state', async () => {
      expect(await h.store.getState('anaf:list:1234567')).toBeNull();
      await h.store.setState('anaf:list:1234567', '2026-01-15T09:00:00Z');
      await h.store.setState('idle', '{"until":1}');
      await h.store.setState('anaf:list:1234567', '2026-01-15T10:00:00Z');
      expect(await h.store.getState('anaf:list:1234567')).toBe('2026-01-15T10:00:00Z');
      expect(await h.store.getState('idle')).toBe('{"until":1}');
    });

    it('forgets engine state under a prefix written before a moment, and nothing else', async () => {
      await h.store.setState('reconcile:test:1', 'old');
      await h.store.setState('reconcile_x:test:1', 'not the prefix (an underscore is no wildcard)');
      await h.store.setState('other:reconcile:1', 'prefix elsewhere in the key');
      h.clock.advance(60_000);
      await h.store.setState('reconcile:test:2', 'new');
      expect(await h.store.deleteStateBefore('reconcile:', new Date(h.clock.now().getTime() - 1))).toBe(1);
      expect(await h.store.getState('reconcile:test:1')).toBeNull();
      expect(await h.store.getState('reconcile:test:2')).toBe('new');
      expect(await h.store.getState('reconcile_x:test:1')).not.toBeNull();
      expect(await h.store.getState('other:reconcile:1')).not.toBeNull();
      expect(await h.store.deleteStateBefore('reconcile%', h.clock.now())).toBe(0);
    });

    it('counts invoices by company, environment and status', async () => {
      const a = await addCompany(h.store, '1111111');
      const b = await addCompany(h.store, '2222222');
      await createInvoice(h.store, a.id);
      await createInvoice(h.store, a.id);
      await driveTo(h.store, await createInvoice(h.store, a.id), 'ok');
      await createInvoice(h.store, a.id, { environment: 'prod' });
      await createInvoice(h.store, b.id);
      expect(await h.store.countByStatus(a.id)).toEqual([
        { companyId: a.id, environment: 'prod', status: 'queued', count: 1 },
        { companyId: a.id, environment: 'test', status: 'ok', count: 1 },
        { companyId: a.id, environment: 'test', status: 'queued', count: 2 },
      ]);
      expect(await h.store.countByStatus()).toHaveLength(4);
    });
  });
}
