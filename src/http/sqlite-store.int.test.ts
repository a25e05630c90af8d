/**
 * The API over the real SQLite store (in memory): what the fake store stands for in the other
 * tests — intake's durable write, its event, counts, keyset paging, XML read back — holds for real.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openSqliteStore } from '../adapters/store/index.js';
import type { Store } from '../ports/store.js';
import { IntakeService } from '../engine/intake/intake-service.js';
import { buildApiApp } from './app.js';
import { FakeArchive, FakeEngine } from './testing/fakes.js';
import { COMPANY_CIF, ublInvoice } from './testing/harness.js';

let app: FastifyInstance | undefined;
let store: Store | undefined;
afterEach(async () => {
  await app?.close();
  await store?.close();
});

describe('REST API over the SQLite store', () => {
  it('submits, lists, counts and reads back invoices', async () => {
    store = await openSqliteStore({ path: ':memory:' });
    await store.upsertCompany({ cif: COMPANY_CIF, shortName: 'ACME', name: 'Acme SRL', environment: 'test' });
    app = await buildApiApp({
      store,
      intake: new IntakeService(store, 'api-int'),
      engine: new FakeEngine(),
      archive: new FakeArchive(),
      version: 'int',
    });

    const ids: number[] = [];
    for (let n = 1; n <= 3; n++) {
      const xml = ublInvoice({ id: `FCT ${n}` });
      const res = await app.inject({ method: 'POST', url: `/api/v1/companies/RO${COMPANY_CIF}/invoices`, headers: { 'content-type': 'text/xml' }, payload: xml });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ status: 'queued', outcome: 'created' });
      ids.push(res.json().id);
    }
    const dup = await app.inject({ method: 'POST', url: `/api/v1/companies/${COMPANY_CIF}/invoices`, headers: { 'content-type': 'text/xml' }, payload: ublInvoice({ id: 'FCT 1' }) });
    expect(dup.statusCode).toBe(200);
    expect(dup.json()).toMatchObject({ id: ids[0], outcome: 'duplicate' });

    const page1 = (await app.inject({ method: 'GET', url: `/api/v1/invoices?company=${COMPANY_CIF}&status=queued&limit=2` })).json();
    expect(page1.items.map((i: { number: string }) => i.number)).toEqual(['1', '2']);
    const page2 = (await app.inject({ method: 'GET', url: `/api/v1/invoices?limit=2&after=${page1.next}` })).json();
    expect(page2.items.map((i: { number: string }) => i.number)).toEqual(['3']);
    expect(page2.next).toBeNull();

    const detail = (await app.inject({ method: 'GET', url: `/api/v1/invoices/${ids[1]}` })).json();
    expect(detail).toMatchObject({ id: ids[1], status: 'queued', companyCif: COMPANY_CIF, invoiceId: 'FCT 2', uploadAttempts: [] });
    expect(detail.events[0]).toMatchObject({ fromStatus: null, toStatus: 'queued' });

    const xml = await app.inject({ method: 'GET', url: `/api/v1/invoices/${ids[2]}/xml` });
    expect(xml.body).toBe(ublInvoice({ id: 'FCT 3' }));

    const [company] = (await app.inject({ method: 'GET', url: '/api/v1/companies' })).json().items;
    expect(company.counts).toMatchObject({ queued: 3, total: 3 });
  });
});
