import { afterEach, describe, expect, it } from 'vitest';
import { buildSampleInvoice } from '../sandbox/anaf/sample-invoice.js';
import { COMPANY_CIF, OTHER_CIF, addApiKey, bearer, makeApi, ublInvoice, type ErrorBody, type Harness } from './testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.app.close();
});

async function check(payload: string, opts: { cif?: string; headers?: Record<string, string> } = {}) {
  return h.app.inject({
    method: 'POST',
    url: `/api/v1/companies/${opts.cif ?? COMPANY_CIF}/validate`,
    headers: { 'content-type': 'application/xml', ...opts.headers },
    payload,
  });
}

interface Answer {
  valid: boolean;
  ms: number;
  findings: Array<{ ruleId: string; severity: string; message: string; location: string; line: number }>;
}

describe('POST /api/v1/companies/{cif}/validate', () => {
  it('answers valid with no findings for a complete CIUS-RO invoice, nothing stored', async () => {
    h = await makeApi();
    const res = await check(buildSampleInvoice({ supplierCif: COMPANY_CIF, buyerCif: OTHER_CIF, id: 'F1', issueDate: '2026-11-20' }));
    expect(res.statusCode).toBe(200);
    const body = res.json<Answer>();
    expect(body.valid).toBe(true);
    expect(body.findings).toEqual([]);
    expect(typeof body.ms).toBe('number');
    expect(h.store.invoices).toHaveLength(0);
  });

  it('lists the fatal findings of an incomplete invoice with rule, message, XPath and line', async () => {
    h = await makeApi();
    const res = await check(ublInvoice());
    expect(res.statusCode).toBe(200);
    const body = res.json<Answer>();
    expect(body.valid).toBe(false);
    const br = body.findings.find((f) => f.ruleId === 'BR-16');
    expect(br).toMatchObject({ severity: 'fatal', location: '/Invoice' });
    expect(br!.message).toContain('[BR-16]');
    expect(br!.line).toBeGreaterThan(0);
    expect(h.store.invoices).toHaveLength(0);
  });

  it('reports UBL 2.1 structure findings (UBL-XSD-*) before the business rules', async () => {
    h = await makeApi();
    const xml = buildSampleInvoice({ supplierCif: COMPANY_CIF, buyerCif: OTHER_CIF, id: 'F2', issueDate: '2026-11-20' }).replace(
      /<cbc:DueDate>[^<]*<\/cbc:DueDate>/,
      '<cbc:DueDate>20.12.2026</cbc:DueDate>',
    );
    const body = (await check(xml)).json<Answer>();
    expect(body.valid).toBe(false);
    expect(body.findings[0]).toMatchObject({ ruleId: 'UBL-XSD-VALUE', severity: 'fatal', location: '/Invoice/cbc:DueDate' });
    expect(body.findings[0]!.message).toContain("cbc:DueDate has the value '20.12.2026'");
  });

  it('refuses malformed XML (400), an unknown company (404) and a viewer key (403)', async () => {
    h = await makeApi();
    expect((await check('<Invoice><oops></Invoice>')).statusCode).toBe(400);
    expect((await check(ublInvoice(), { cif: '18547290' })).statusCode).toBe(404);
    const key = await addApiKey(h.store, 'auditor', 'viewer');
    const res = await check(ublInvoice(), { headers: bearer(key) });
    expect(res.statusCode).toBe(403);
    expect(res.json<ErrorBody>().error.message).toContain('viewer');
  });
});
