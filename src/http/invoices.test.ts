import { afterEach, describe, expect, it } from 'vitest';
import type { Invoice } from '../domain/invoice.js';
import { COMPANY_CIF, makeApi, type ErrorBody, type Harness } from './testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.app.close();
});

async function get(url: string) {
  return h.app.inject({ method: 'GET', url });
}

function expectBadParam(res: { statusCode: number; json: <T>() => T }, param: string): string {
  expect(res.statusCode).toBe(400);
  const err = res.json<ErrorBody>().error;
  expect(err.code).toBe('EFACT_ERR_INVALID_REQUEST');
  expect(err.message).toContain(`"${param}"`);
  return err.message;
}

describe('GET /api/v1/invoices', () => {
  it('pages through everything with a cursor, 50 by default', async () => {
    h = await makeApi();
    for (let i = 0; i < 120; i++) h.store.addInvoice(h.company.id);
    const seen: number[] = [];
    let url = '/api/v1/invoices';
    for (;;) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      const { items, next } = res.json() as { items: Array<{ id: number }>; next: string | null };
      seen.push(...items.map((i) => i.id));
      if (next === null) break;
      expect(items).toHaveLength(50);
      url = `/api/v1/invoices?after=${next}`;
    }
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
  });

  it('gives next = null when the page is exactly the last', async () => {
    h = await makeApi();
    for (let i = 0; i < 4; i++) h.store.addInvoice(h.company.id);
    const first = (await get('/api/v1/invoices?limit=2')).json();
    expect(first.next).toBe('2');
    const last = (await get(`/api/v1/invoices?limit=2&after=${first.next}`)).json();
    expect(last.items.map((i: { id: number }) => i.id)).toEqual([3, 4]);
    expect(last.next).toBeNull();
  });

  it('filters by company (with RO), status list, series, number and dates', async () => {
    h = await makeApi();
    const other = h.store.addCompany({ cif: '18' });
    const a = h.store.addInvoice(h.company.id, { status: 'nok', series: 'A', number: '1' });
    h.store.addInvoice(h.company.id, { status: 'ok', series: 'A', number: '2' });
    const c = h.store.addInvoice(h.company.id, { status: 'invalid', series: 'A', number: '3' });
    h.store.addInvoice(other.id, { status: 'nok', series: 'A', number: '1' });

    const res = await get(`/api/v1/invoices?company=RO${COMPANY_CIF}&status=nok,invalid&series=A`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((i: { id: number }) => i.id)).toEqual([a.id, c.id]);
    expect(res.json().items[0].companyCif).toBe(COMPANY_CIF);
    expect(h.store.lastQuery).toMatchObject({ companyId: h.company.id, status: ['nok', 'invalid'], series: 'A', order: 'asc' });

    await get('/api/v1/invoices?number=1&from=2025-03-01&to=2025-03-01');
    expect(h.store.lastQuery?.from?.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(h.store.lastQuery?.to?.toISOString()).toBe('2025-03-01T23:59:59.999Z');
    await get('/api/v1/invoices?from=2025-03-01T10:00:00%2B02:00');
    expect(h.store.lastQuery?.from?.toISOString()).toBe('2025-03-01T08:00:00.000Z');
  });

  it('serialises dates as ISO and ANAF ids as strings', async () => {
    h = await makeApi();
    h.store.addInvoice(h.company.id, {
      status: 'downloaded',
      uploadId: '5001234567',
      downloadId: '3001293434',
      uploadedAt: new Date('2025-03-02T09:00:00Z'),
      archivePath: 'archive/x.zip',
      messages: [{ text: 'E: [BR-RO-010] lipsa', source: 'answer' }],
    });
    const [item] = (await get('/api/v1/invoices')).json().items;
    expect(item).toMatchObject({
      uploadId: '5001234567',
      downloadId: '3001293434',
      uploadedAt: '2025-03-02T09:00:00.000Z',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      archived: true,
      messages: [{ text: 'E: [BR-RO-010] lipsa', source: 'answer' }],
    });
    expect(item.archivePath).toBeUndefined();
  });

  it.each([
    ['limit', 'limit=0'],
    ['limit', 'limit=501'],
    ['limit', 'limit=ten'],
    ['status', 'status=nok,lost'],
    ['status', 'status=,'],
    ['from', 'from=yesterday'],
    ['from', 'from=2025-02-30'],
    ['to', 'to=2025-03-01T10:00'],
    ['to', 'from=2025-03-02&to=2025-03-01'],
    ['after', 'after=-1'],
    ['company', 'company=ACME'],
    ['environment', 'environment=staging'],
    ['stauts', 'stauts=nok'],
  ])('answers 400 naming %s for %s', async (param, query) => {
    h = await makeApi();
    expectBadParam(await get(`/api/v1/invoices?${query}`), param);
  });

  it('lists the allowed statuses when one is unknown', async () => {
    h = await makeApi();
    const message = expectBadParam(await get('/api/v1/invoices?status=lost'), 'status');
    expect(message).toContain('needs-attention');
  });

  it('answers 404 EFACT_ERR_UNKNOWN_COMPANY for a company filter not configured', async () => {
    h = await makeApi();
    const res = await get('/api/v1/invoices?company=18');
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorBody>().error.code).toBe('EFACT_ERR_UNKNOWN_COMPANY');
  });
});

describe('GET /api/v1/invoices/{id}', () => {
  it('returns the invoice with ANAF messages, events and upload attempts', async () => {
    h = await makeApi();
    const inv: Invoice = h.store.addInvoice(h.company.id, {
      status: 'nok',
      uploadId: '5001',
      downloadId: '3001',
      messages: [{ text: 'Factura nu respecta BR-RO-010', source: 'answer' }],
      attempts: 1,
    });
    h.store.events.push(
      { id: 1, invoiceId: inv.id, at: new Date('2025-03-01T08:01:00Z'), instance: 'api', fromStatus: null, toStatus: 'queued', cause: 'intake:api', details: null },
      { id: 2, invoiceId: inv.id, at: new Date('2025-03-01T08:05:00Z'), instance: '1', fromStatus: 'processing', toStatus: 'nok', cause: 'status:nok', details: { downloadId: '3001' } },
    );
    h.store.attempts.push({
      id: 7, invoiceId: inv.id, companyId: h.company.id, environment: 'test', instance: '1', contentHash: inv.contentHash,
      startedAt: new Date('2025-03-01T08:02:00Z'), finishedAt: new Date('2025-03-01T08:02:01Z'), outcome: 'accepted', uploadId: '5001', note: null,
    });
    const res = await get(`/api/v1/invoices/${inv.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      id: inv.id,
      status: 'nok',
      companyCif: COMPANY_CIF,
      uploadId: '5001',
      attempts: 1,
      messages: [{ text: 'Factura nu respecta BR-RO-010', source: 'answer' }],
    });
    expect(body.events).toEqual([
      { id: 1, at: '2025-03-01T08:01:00.000Z', instance: 'api', fromStatus: null, toStatus: 'queued', cause: 'intake:api', details: null },
      { id: 2, at: '2025-03-01T08:05:00.000Z', instance: '1', fromStatus: 'processing', toStatus: 'nok', cause: 'status:nok', details: { downloadId: '3001' } },
    ]);
    expect(body.uploadAttempts).toEqual([
      { id: 7, instance: '1', environment: 'test', startedAt: '2025-03-01T08:02:00.000Z', finishedAt: '2025-03-01T08:02:01.000Z', outcome: 'accepted', uploadId: '5001', note: null },
    ]);
  });

  it('answers 404 EFACT_ERR_NOT_FOUND for an unknown id and 400 for a non-numeric one', async () => {
    h = await makeApi();
    const missing = await get('/api/v1/invoices/999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ErrorBody>().error).toMatchObject({ code: 'EFACT_ERR_NOT_FOUND', message: 'no invoice with id 999' });
    expectBadParam(await get('/api/v1/invoices/abc'), 'id');
    expectBadParam(await get('/api/v1/invoices/0'), 'id');
  });
});

describe('GET /api/v1/invoices/{id}/xml', () => {
  it('returns the stored XML byte for byte as application/xml', async () => {
    h = await makeApi();
    const xml = '<?xml version="1.0" encoding="UTF-8"?><Invoice>Ștefan</Invoice>';
    const inv = h.store.addInvoice(h.company.id, {}, xml);
    const res = await get(`/api/v1/invoices/${inv.id}/xml`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(res.rawPayload.equals(Buffer.from(xml))).toBe(true);
  });

  it('answers 404 for an unknown invoice', async () => {
    h = await makeApi();
    const res = await get('/api/v1/invoices/42/xml');
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorBody>().error.code).toBe('EFACT_ERR_NOT_FOUND');
  });
});

describe('GET /api/v1/invoices/{id}/archive', () => {
  it('returns the archived ZIP as an attachment named after the download id', async () => {
    h = await makeApi();
    const zip = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
    const path = await h.archive.write({ cif: COMPANY_CIF, month: '2025-03', downloadId: '3001293434', zip, entries: new Map() });
    const inv = h.store.addInvoice(h.company.id, { status: 'downloaded', downloadId: '3001293434', archivePath: path });
    const res = await get(`/api/v1/invoices/${inv.id}/archive`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe('attachment; filename="3001293434.zip"');
    expect(res.rawPayload.equals(zip)).toBe(true);
  });

  it('keeps a hostile download id out of the header', async () => {
    h = await makeApi();
    const path = await h.archive.write({ cif: COMPANY_CIF, month: '2025-03', downloadId: 'x', zip: Buffer.from('PK'), entries: new Map() });
    const inv = h.store.addInvoice(h.company.id, { status: 'downloaded', downloadId: '1"\r\nSet-Cookie: a=b', archivePath: path });
    const res = await get(`/api/v1/invoices/${inv.id}/archive`);
    expect(res.headers['content-disposition']).toBe('attachment; filename="1___Set-Cookie__a_b.zip"');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers 404 with a clear message when the answer is not downloaded yet', async () => {
    h = await makeApi();
    const inv = h.store.addInvoice(h.company.id, { status: 'processing', uploadId: '5001' });
    const res = await get(`/api/v1/invoices/${inv.id}/archive`);
    expect(res.statusCode).toBe(404);
    const err = res.json<ErrorBody>().error;
    expect(err.code).toBe('EFACT_ERR_NOT_FOUND');
    expect(err.message).toContain('no archived answer yet (status processing)');
    expect(err.details).toMatchObject({ id: inv.id, status: 'processing' });
  });
});
