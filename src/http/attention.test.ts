import { afterEach, describe, expect, it } from 'vitest';
import { COMPANY_CIF, addApiKey, bearer, makeApi, type ErrorBody, type Harness } from './testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.app.close();
});

const post = (url: string, payload?: unknown, key?: string) =>
  h.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...(key ? bearer(key) : {}) },
    ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
  });

describe('deciding on invoices whose upload ANAF never confirmed', () => {
  it('POST /invoices/{id}/resend queues one again, says who decided, and wakes the engine', async () => {
    h = await makeApi();
    const ops = await addApiKey(h.store, 'ops', 'operator');
    const inv = h.store.addInvoice(h.company.id, { status: 'needs-attention', lastError: 'no answer' });
    const res = await post(`/invoices/${inv.id}/resend`, undefined, ops);
    expect(res.statusCode).toBe(200);
    expect(res.json().invoice).toMatchObject({ id: inv.id, status: 'queued', companyCif: COMPANY_CIF });
    expect(h.store.causes.at(-1)).toMatchObject({ instance: 'api', cause: 'person-resend', details: { by: 'ops' } });
    expect(h.engine.woken).toEqual([h.company.id]);
  });

  it('refuses to resend one ANAF has (409, saying why), and a viewer (403)', async () => {
    h = await makeApi();
    await addApiKey(h.store, 'admin', 'admin');
    const viewer = await addApiKey(h.store, 'auditor', 'viewer');
    const ops = await addApiKey(h.store, 'ops', 'operator');
    const inv = h.store.addInvoice(h.company.id, { status: 'needs-attention', uploadId: '5001112223' });
    const res = await post(`/invoices/${inv.id}/resend`, undefined, ops);
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.message).toContain('under upload id 5001112223: sending it again would file it twice');
    expect((await post(`/invoices/${inv.id}/resend`, undefined, viewer)).statusCode).toBe(403);
    expect(inv.status).toBe('needs-attention');
    expect(h.engine.woken).toEqual([]);
  });

  it('POST /invoices/{id}/upload-id records the id found in SPV; a malformed one is a 400 naming the field', async () => {
    h = await makeApi();
    const inv = h.store.addInvoice(h.company.id, { status: 'needs-attention' });
    const bad = await post(`/invoices/${inv.id}/upload-id`, { uploadId: 'abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.message).toContain('uploadId');
    const res = await post(`/invoices/${inv.id}/upload-id`, { uploadId: '5001234567' });
    expect(res.statusCode).toBe(200);
    expect(res.json().invoice).toMatchObject({ status: 'processing', uploadId: '5001234567' });
  });

  it('POST /companies/{cif}/resend-unconfirmed needs confirm and resends only the unconfirmed ones', async () => {
    h = await makeApi();
    const a = h.store.addInvoice(h.company.id, { status: 'needs-attention' });
    const atAnaf = h.store.addInvoice(h.company.id, { status: 'needs-attention', uploadId: '5000000001' });
    const nok = h.store.addInvoice(h.company.id, { status: 'nok', uploadId: '5000000002' });
    expect((await post(`/companies/${COMPANY_CIF}/resend-unconfirmed`, {})).statusCode).toBe(400);
    const res = await post(`/companies/RO${COMPANY_CIF}/resend-unconfirmed`, { confirm: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ cif: COMPANY_CIF, resent: 1, ids: [a.id] });
    expect([a.status, atAnaf.status, nok.status]).toEqual(['queued', 'needs-attention', 'nok']);
    expect(h.engine.woken).toEqual([h.company.id]);
  });
});
