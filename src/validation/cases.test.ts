/**
 * Efact's own cases (src/validation/cases) checked against the built-in rules alone, so they hold
 * even where ../shared/reference (and with it the official XSLT) is absent. The agreement test
 * additionally runs them through ANAF's XSLT.
 */
import { describe, expect, test } from 'vitest';
import { loadOwnCases } from './testing/corpus.js';
import { builtInRules } from './rules/index.js';
import { validateInvoice } from './run.js';

const cases = loadOwnCases();

describe('own cases, built-in rules', () => {
  const ids = builtInRules().ruleIds;

  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const fired = new Set(validateInvoice(c.xml).findings.map((f) => f.ruleId));
    const misses = c.expects
      .filter((e) => ids.has(e.ruleId))
      .filter((e) => (e.outcome === 'error') !== fired.has(e.ruleId))
      .map((e) => `${e.outcome} ${e.ruleId}`);
    expect(misses).toEqual([]);
  });

  test('the valid CIUS-RO invoice has no finding at all', () => {
    const valid = cases.find((c) => c.name === 'cases/cius-ro/valid-invoice.xml')!;
    expect(validateInvoice(valid.xml).findings).toEqual([]);
  });

  test("messages show the element as the document names it and its value, as ANAF's do", () => {
    const dates = cases.find((c) => c.name === 'cases/cius-ro/dates-malformed.xml')!;
    const f = validateInvoice(dates.xml).findings.find((x) => x.ruleId === 'BR-RO-DT001')!;
    expect(f).toMatchObject({ severity: 'fatal', location: '/Invoice/cbc:IssueDate' });
    expect(f.message).toBe(
      "[BR-RO-DT001]-Un element de tip data (BT-2, BT-27) trebuie sa respecte formatul YYYY-MM-DD #A date (BT-2, BT-27) MUST be formatted YYYY-MM-DD. (cbc:IssueDate = '2026-02-30')",
    );
    const other = dates.xml.replace(/cbc:/g, 'b:').replace('xmlns:cbc=', 'xmlns:b=');
    expect(validateInvoice(other).findings.find((x) => x.ruleId === 'BR-RO-DT001')!.message).toContain("(b:IssueDate = '2026-02-30')");
  });

  test('first rule wins: BR-DEC-RO-23 never fires (the 1013 line rule takes every line), the line allowance rule does', () => {
    const c = cases.find((x) => x.name === 'cases/cius-ro/amounts-three-decimals.xml')!;
    const fired = validateInvoice(c.xml).findings.map((f) => f.ruleId);
    expect(fired).toContain('BR-DEC-RO-24');
    expect(fired).not.toContain('BR-DEC-RO-23');
  });

  test('a text the XSLT cannot measure (normalize-space of two IDs stops it) is reported as failing', () => {
    const valid = cases.find((c) => c.name === 'cases/cius-ro/valid-invoice.xml')!;
    const two = valid.xml.replace(
      '<cbc:ID>EFT-2026-0007</cbc:ID>',
      '<cbc:ID>EFT-2026-0007</cbc:ID>\n    </cac:InvoiceDocumentReference>\n    <cac:InvoiceDocumentReference>\n      <cbc:ID>EFT-2026-0008</cbc:ID>',
    );
    const fired = validateInvoice(two).findings.map((f) => f.ruleId);
    expect(fired).toContain('BR-RO-L156');
    expect(fired).toContain('UBL-SR-06');
  });
});
