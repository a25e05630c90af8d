import { describe, expect, test } from 'vitest';
import { buildSampleInvoice } from '../sandbox/anaf/sample-invoice.js';
import { withStructure } from './validator.js';

describe('official path with the structure check', () => {
  // A stand-in for the official XSLT (which takes minutes to compile): no Schematron findings.
  const schematronOnly = withStructure(() => ({ findings: [], valid: true, ms: 1 }));
  const xml = buildSampleInvoice({ supplierCif: '12345674', buyerCif: '8000000000', id: 'F1', issueDate: '2026-03-10' });

  test('a structure-valid invoice keeps the Schematron verdict', () => {
    const r = schematronOnly(new TextEncoder().encode(xml), 10_000_000);
    expect(r).toMatchObject({ findings: [], valid: true });
  });

  test('UBL-XSD findings come first and make the invoice invalid', () => {
    const bad = xml.replace('<cbc:IssueDate>2026-03-10</cbc:IssueDate>', '<cbc:IssueDate>10.03.2026</cbc:IssueDate>');
    const r = withStructure(() => ({ findings: [{ ruleId: 'BR-X', severity: 'warning', message: 'm', location: '/Invoice', line: 2 }], valid: true, ms: 1 }))(
      new TextEncoder().encode(bad),
      10_000_000,
    );
    expect(r.valid).toBe(false);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['UBL-XSD-VALUE', 'BR-X']);
  });
});
