/**
 * The REST API of a running instance over real HTTP: bad input is refused with a clear error
 * while the server keeps running and carries the next good invoice to the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIF, sampleInvoice, startTestRuntime, type TestRuntime } from './helpers/runtime.js';

let t: TestRuntime;
let base: string;
beforeAll(async () => {
  t = await startTestRuntime({ http: true });
  base = `${t.runtime.apiUrl}/api/v1`;
});
afterAll(async () => {
  await t.close();
});

const post = (cif: string, body: string | Buffer, type = 'application/xml'): Promise<Response> =>
  fetch(`${base}/companies/${cif}/invoices`, { method: 'POST', headers: { 'content-type': type }, body });

describe('REST API of a running server', () => {
  it.each([
    ['malformed XML', CIF, '<Invoice><cbc:ID>1</Invoice', 400, 'EFACT_ERR_INVALID_XML'],
    [
      'a DTD with an entity bomb',
      CIF,
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Invoice>&lol2;</Invoice>',
      400,
      'EFACT_ERR_XML_DTD_FORBIDDEN',
    ],
    ['an invoice of another supplier', CIF, sampleInvoice('X1', { supplierCif: '8609468', buyerCif: '8000000000' }), 422, 'EFACT_ERR_WRONG_SUPPLIER'],
    ['an unknown company', '18547290', sampleInvoice('X2'), 404, 'EFACT_ERR_UNKNOWN_COMPANY'],
    ['not an invoice', CIF, '<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>', 422, 'EFACT_ERR_NOT_AN_INVOICE'],
  ])('refuses %s', async (_what, cif, body, status, code) => {
    const res = await post(cif, body);
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.message.length).toBeGreaterThan(10);
  });

  it('refuses a body over 10 MB with 413', async () => {
    const big = sampleInvoice('BIG1').replace('</Invoice>', `<!-- ${'x'.repeat(10 * 1024 * 1024)} --></Invoice>`);
    const res = await post(CIF, big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('EFACT_ERR_TOO_LARGE');
  });

  it('still takes a good invoice after all that and carries it to downloaded', async () => {
    const res = await post(`RO${CIF}`, sampleInvoice('GOOD1'));
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: number };
    await t.waitFor(Number(id), (i) => i.status === 'downloaded', 'downloaded');
    const detail = (await (await fetch(`${base}/invoices/${id}`)).json()) as { status: string; uploadId: string; events: unknown[] };
    expect(detail.status).toBe('downloaded');
    expect(typeof detail.uploadId).toBe('string');
    expect(detail.events.length).toBe(5);
    const zip = await fetch(`${base}/invoices/${id}/archive`);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(Buffer.from(await zip.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    const list = (await (await fetch(`${base}/invoices?company=${CIF}&status=downloaded`)).json()) as { items: Array<{ id: unknown }> };
    expect(list.items.map((i) => String(i.id))).toContain(String(id));
  });
});
