import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleInvoice } from './sample-invoice.js';
import { SIGNATURE } from './texts.js';
import { BUYER_CIF, call, startTestSandbox, SUPPLIER_CIF, type TestSandbox } from './test-helpers.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t.sandbox.close();
});

const good = buildSampleInvoice({ supplierCif: SUPPLIER_CIF, buyerCif: BUYER_CIF, id: 'V-1', issueDate: '2026-03-09' });
const bad = buildSampleInvoice({ supplierCif: SUPPLIER_CIF, buyerCif: BUYER_CIF, id: 'V-2', issueDate: '2026-03-09', customizationId: 'urn:x' });
const post = (path: string, body: string) => call(t.sandbox, `/prod/FCTEL/rest/${path}`, { body, token: null });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('validare', () => {
  it('says ok with a trace id', async () => {
    const body = (await (await post('validare/FACT1', good)).json()) as Record<string, unknown>;
    expect(body.stare).toBe('ok');
    expect(body.trace_id).toMatch(UUID);
    expect(Object.keys(body)).toEqual(['stare', 'trace_id']);
  });

  it('says nok with the decision\'s messages', async () => {
    const body = (await (await post('validare/FACT1', bad)).json()) as { stare: string; Messages: Array<{ message: string }> };
    expect(body.stare).toBe('nok');
    expect(body.Messages[0]!.message).toMatch(/\[BR-RO-001\]/);
  });

  it('refuses other standards, files over 5 MB, and a missing standard', async () => {
    const wrong = (await (await post('validare/UBL', good)).json()) as { Messages: unknown };
    expect(wrong.Messages).toEqual([{ message: 'Valorile acceptate pentru parametrul standard sunt FACT1 si FCN' }]);
    const big = good.replace('</Invoice>', `<!--${'x'.repeat(5 * 1024 * 1024)}--></Invoice>`);
    expect(((await (await post('validare/FACT1', big)).json()) as { Messages: unknown }).Messages).toEqual([
      { message: 'Marime fisier transmis mai mare de 5 MB.' },
    ]);
    const missing = await post('validare/', good);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, error: 'Not Found', path: '/FCTEL/rest/validare/' });
  });

  it('checks a credit note under FCN', async () => {
    const cn = buildSampleInvoice({ supplierCif: SUPPLIER_CIF, buyerCif: BUYER_CIF, id: 'CN-9', issueDate: '2026-03-09', creditNote: true });
    expect(((await (await post('validare/FCN', cn)).json()) as { stare: string }).stare).toBe('ok');
    expect(((await (await post('validare/FCN', good)).json()) as { stare: string }).stare).toBe('nok');
  });
});

describe('transformare', () => {
  it('turns a valid invoice into a real PDF', async () => {
    const res = await post('transformare/FACT1', good);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toBe('Factura V-1');
  });

  it('answers the validation JSON for an invalid invoice, unless told /DA', async () => {
    const res = await post('transformare/FACT1', bad);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(((await res.json()) as { stare: string }).stare).toBe('nok');
    const skipped = await post('transformare/FACT1/DA', bad);
    expect(skipped.headers.get('content-type')).toBe('application/pdf');
  });

  it('cannot draw what is not XML', async () => {
    const res = await post('transformare/FACT1/DA', '<Invoice');
    expect(((await res.json()) as { stare: string }).stare).toBe('nok');
  });
});

describe('signature check', () => {
  it('answers a technical error when a part is missing or not XML', async () => {
    const form = new FormData();
    form.append('file', new Blob(['<Invoice/>']), 'f.xml');
    const missing = await call(t.sandbox, '/api/validate/signature', { body: form, token: null });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ msg: SIGNATURE.technical });
    const notXml = new FormData();
    notXml.append('file', new Blob(['not xml']), 'f.xml');
    notXml.append('signature', new Blob(['<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>']), 's.xml');
    expect((await call(t.sandbox, '/api/validate/signature', { body: notXml, token: null })).status).toBe(400);
  });

  it('says not valid for a signature made by someone else', async () => {
    const own = t.sandbox.state.answerZip('test', 'none');
    expect(own).toBeUndefined();
    const content = new TextEncoder().encode(good);
    const forged = new TextEncoder().encode(
      '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><Reference URI="x"><DigestValue>' +
        Buffer.from(await crypto.subtle.digest('SHA-256', content)).toString('base64') +
        '</DigestValue></Reference></SignedInfo><SignatureValue>AAAA</SignatureValue></Signature>',
    );
    const form = new FormData();
    form.append('file', new Blob([content]), 'f.xml');
    form.append('signature', new Blob([forged]), 's.xml');
    expect(await (await call(t.sandbox, '/api/validate/signature', { body: form, token: null })).json()).toEqual({ msg: SIGNATURE.invalid });
  });
});

describe('OAuth', () => {
  it('issues tokens for a code and rotates the refresh token', async () => {
    const redirect = await fetch(
      `${t.sandbox.url}/anaf-oauth2/v1/authorize?response_type=code&client_id=c1&redirect_uri=${encodeURIComponent('http://127.0.0.1:1/cb')}&state=s1`,
      { redirect: 'manual' },
    );
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('s1');
    const code = location.searchParams.get('code')!;
    const basic = `Basic ${Buffer.from('c1:secret').toString('base64')}`;
    const token = async (form: Record<string, string>) =>
      fetch(`${t.sandbox.url}/anaf-oauth2/v1/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
    const first = (await (await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:1/cb' })).json()) as Record<string, unknown>;
    expect(first).toMatchObject({ token_type: 'Bearer', expires_in: 7_776_000 });
    expect(String(first.access_token).split('.')).toHaveLength(3);
    expect((await token({ grant_type: 'authorization_code', code })).status).toBe(400);
    const second = (await (await token({ grant_type: 'refresh_token', refresh_token: String(first.refresh_token) })).json()) as Record<string, unknown>;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    // The old refresh token stopped working.
    expect((await token({ grant_type: 'refresh_token', refresh_token: String(first.refresh_token) })).status).toBe(400);
  });
});
