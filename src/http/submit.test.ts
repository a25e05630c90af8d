import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_XML_BYTES } from '../xml/parse.js';
import { DEFAULT_UPLOAD_BODY_LIMIT } from './deps.js';
import { COMPANY_CIF, OTHER_CIF, XML_HEADERS, makeApi, ublInvoice, type ErrorBody, type Harness } from './testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.app.close();
});

const url = (cif = COMPANY_CIF, query = '') => `/api/v1/companies/${cif}/invoices${query}`;

async function submit(payload: string | Buffer, opts: { cif?: string; query?: string; type?: string } = {}) {
  return h.app.inject({
    method: 'POST',
    url: url(opts.cif, opts.query),
    headers: { 'content-type': opts.type ?? 'application/xml' },
    payload,
  });
}

function expectError(res: { statusCode: number; json: <T>() => T }, status: number, code: string): ErrorBody['error'] {
  expect(res.statusCode).toBe(status);
  const body = res.json<ErrorBody>();
  expect(body.error.code).toBe(code);
  expect(body.error.kind).toBe('invalid-input');
  expect(typeof body.error.message).toBe('string');
  return body.error;
}

describe('POST /api/v1/companies/{cif}/invoices', () => {
  it('accepts an invoice: 202 created, Location, metadata and origin from the query, engine woken', async () => {
    h = await makeApi();
    const res = await submit(ublInvoice(), {
      query: '?user=ion&branch=Iasi&computer=PC-7&b2c=true&extern=true',
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ id: 1, status: 'queued', outcome: 'created' });
    expect(body.supersedes).toBeUndefined();
    expect(res.headers['location']).toBe('/api/v1/invoices/1');
    expect(body.invoice).toMatchObject({
      id: 1,
      companyCif: COMPANY_CIF,
      series: 'FCT',
      number: '123',
      invoiceId: 'FCT 123',
      supplierCif: COMPANY_CIF,
      b2c: true,
      flags: { extern: true, autofactura: false, executare: false },
      origin: { channel: 'api', sourcePath: null, computer: 'PC-7', user: 'ion', branch: 'Iasi' },
      uploadId: null,
      archived: false,
    });
    expect(h.engine.woken).toEqual([h.company.id]);
    expect(h.store.causes[0]).toMatchObject({ cause: 'intake:api' });
  });

  it.each(['text/xml', 'text/plain', 'application/octet-stream', 'application/xml; charset=utf-8'])(
    'accepts Content-Type %s and a CIF written with RO',
    async (type) => {
      h = await makeApi();
      const res = await submit(ublInvoice(), { type, cif: `RO${COMPANY_CIF}` });
      expect(res.statusCode).toBe(202);
      expect(res.json().invoice.companyCif).toBe(COMPANY_CIF);
    },
  );

  it('lets series and number from the query override the XML', async () => {
    h = await makeApi();
    const res = await submit(ublInvoice(), { query: '?series=AB&number=0042' });
    expect(res.json().invoice).toMatchObject({ series: 'AB', number: '0042', invoiceId: 'FCT 123' });
  });

  it('answers 200 duplicate for the very same bytes, without waking the engine', async () => {
    h = await makeApi();
    const first = await submit(ublInvoice());
    const again = await submit(ublInvoice());
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, outcome: 'duplicate' });
    expect(h.engine.woken).toHaveLength(1);
  });

  it('answers 202 superseded with the replaced id when a corrected file follows a nok', async () => {
    h = await makeApi();
    const old = h.store.addInvoice(h.company.id, { series: 'FCT', number: '123', status: 'nok' });
    const res = await submit(ublInvoice());
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ outcome: 'superseded', supersedes: old.id, status: 'queued' });
    expect(res.json().invoice.supersedesId).toBe(old.id);
  });

  it('answers 409 EFACT_ERR_CONFLICT when ANAF already accepted that series and number', async () => {
    h = await makeApi();
    h.store.addInvoice(h.company.id, { series: 'FCT', number: '123', status: 'ok', uploadId: '5012345678' });
    const res = await submit(ublInvoice());
    const err = expectError(res, 409, 'EFACT_ERR_CONFLICT');
    expect(err.message).toContain('already ok at ANAF (upload id 5012345678); a correction must be a new invoice or a credit note');
    expect(res.headers['retry-after']).toBeUndefined();
    expect(h.engine.woken).toEqual([]);
  });

  it("answers 409 EFACT_ERR_AWAITING_VERDICT with Retry-After while ANAF's answer on that number is pending", async () => {
    h = await makeApi();
    h.store.addInvoice(h.company.id, { series: 'FCT', number: '123', status: 'processing', uploadId: '5012345678' });
    const res = await submit(ublInvoice());
    expect(res.statusCode).toBe(409);
    const err = res.json<ErrorBody>().error;
    expect(err).toMatchObject({ code: 'EFACT_ERR_AWAITING_VERDICT', kind: 'retryable' });
    expect(err.message).toContain('(upload id 5012345678) and its answer is not known yet; this file replaces it if ANAF answers NOK');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(h.engine.woken).toEqual([]);
  });

  it('answers 400 EFACT_ERR_INVALID_XML for malformed XML', async () => {
    h = await makeApi();
    expectError(await submit('<Invoice><cbc:ID>1</Invoice>'), 400, 'EFACT_ERR_INVALID_XML');
  });

  it('answers 400 EFACT_ERR_XML_DTD_FORBIDDEN for a DOCTYPE with entities, stores nothing', async () => {
    h = await makeApi();
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE Invoice [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY ext SYSTEM "file:///etc/passwd">
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&b;&ext;</ID></Invoice>`;
    const err = expectError(await submit(bomb), 400, 'EFACT_ERR_XML_DTD_FORBIDDEN');
    expect(err.message).not.toContain('root:');
    expect(h.store.invoices).toHaveLength(0);
  });

  it('answers 422 EFACT_ERR_NOT_AN_INVOICE for well-formed XML that is no invoice', async () => {
    h = await makeApi();
    expectError(await submit('<?xml version="1.0"?><Order xmlns="urn:x"><ID>1</ID></Order>'), 422, 'EFACT_ERR_NOT_AN_INVOICE');
  });

  it('answers 422 EFACT_ERR_WRONG_SUPPLIER when the supplier is another company', async () => {
    h = await makeApi();
    const err = expectError(await submit(ublInvoice({ supplierCif: OTHER_CIF })), 422, 'EFACT_ERR_WRONG_SUPPLIER');
    expect(err.details).toMatchObject({ invoiceCif: OTHER_CIF, companyCif: COMPANY_CIF });
  });

  it('answers 404 EFACT_ERR_UNKNOWN_COMPANY for a company not configured', async () => {
    h = await makeApi();
    expectError(await submit(ublInvoice(), { cif: OTHER_CIF }), 404, 'EFACT_ERR_UNKNOWN_COMPANY');
  });

  it('answers 413 EFACT_ERR_TOO_LARGE naming the limit for a body over the transport limit', async () => {
    h = await makeApi();
    const big = Buffer.alloc(11 * 1024 * 1024, 0x20);
    const err = expectError(await submit(big), 413, 'EFACT_ERR_TOO_LARGE');
    expect(err.message).toContain(String(DEFAULT_UPLOAD_BODY_LIMIT));
    expect(err.details).toMatchObject({ limit: DEFAULT_UPLOAD_BODY_LIMIT, xmlLimit: DEFAULT_MAX_XML_BYTES });
    expect(h.store.invoices).toHaveLength(0);
  });

  it('answers 413 EFACT_ERR_TOO_LARGE for an XML just over 10 MB, with its size and ANAF\'s limit', async () => {
    h = await makeApi();
    const xml = ublInvoice({ padding: DEFAULT_MAX_XML_BYTES });
    const err = expectError(await submit(xml), 413, 'EFACT_ERR_TOO_LARGE');
    expect(err.message).toContain(String(DEFAULT_MAX_XML_BYTES));
    expect(err.details).toMatchObject({ size: Buffer.byteLength(xml), limit: DEFAULT_MAX_XML_BYTES });
  });

  it('honours a configured body limit', async () => {
    h = await makeApi({ bodyLimitBytes: 1000 });
    const err = expectError(await submit(ublInvoice({ padding: 2000 })), 413, 'EFACT_ERR_TOO_LARGE');
    expect(err.message).toContain('1000 bytes');
  });

  it('answers 415 naming the accepted types for JSON or no Content-Type, and 400 for an empty body', async () => {
    h = await makeApi();
    const json = await h.app.inject({ method: 'POST', url: url(), payload: { xml: '<Invoice/>' } });
    expect(expectError(json, 415, 'EFACT_ERR_INVALID_REQUEST').message).toContain('application/json is not accepted');
    const none = await h.app.inject({ method: 'POST', url: url(), payload: Buffer.from(ublInvoice()) });
    expect(expectError(none, 415, 'EFACT_ERR_INVALID_REQUEST').message).toContain('application/xml, text/xml');
    const empty = await submit('');
    expect(expectError(empty, 400, 'EFACT_ERR_INVALID_REQUEST').message).toContain('request body');
  });

  it('answers 400 naming a bad flag or an unknown query parameter', async () => {
    h = await makeApi();
    const flag = expectError(await submit(ublInvoice(), { query: '?extern=maybe' }), 400, 'EFACT_ERR_INVALID_REQUEST');
    expect(flag.message).toContain('"extern"');
    const unknown = expectError(await submit(ublInvoice(), { query: '?serie=A' }), 400, 'EFACT_ERR_INVALID_REQUEST');
    expect(unknown.message).toContain('"serie"');
  });

  it('stores the bytes exactly as sent (hashing and duplicates depend on it)', async () => {
    h = await makeApi();
    const xml = ublInvoice({ id: 'Ș-1 ţ' });
    const res = await h.app.inject({ method: 'POST', url: url(), headers: XML_HEADERS, payload: xml });
    const id = res.json().id as number;
    expect(Buffer.from(h.store.xml.get(id)!).equals(Buffer.from(xml))).toBe(true);
  });
});
