import { describe, expect, test } from 'vitest';
import { buildRuleSet, rule } from './registry.js';
import { matches, pattern } from './context-pattern.js';
import { validateInvoice } from './run.js';
import { parseInvoiceDocument, locationOf, type XNode } from './model/document.js';
import { attrNode, child, childrenNamed, descendants, select, textOf } from './model/navigate.js';
import { dec, decimalsAfterPoint, round2, sumOf, toDecimal } from './decimal.js';
import { EfactError } from '../domain/errors.js';

const INVOICE = `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:b="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <b:ID>F1</b:ID>
  <cac:InvoiceLine><b:ID>1</b:ID><b:LineExtensionAmount currencyID="RON">0.1</b:LineExtensionAmount></cac:InvoiceLine>
  <cac:InvoiceLine><b:ID>2</b:ID><b:LineExtensionAmount currencyID="RON">0.2</b:LineExtensionAmount></cac:InvoiceLine>
  <cac:LegalMonetaryTotal><b:LineExtensionAmount currencyID="RON">0.3</b:LineExtensionAmount></cac:LegalMonetaryTotal>
</Invoice>`;

describe('document model', () => {
  test('namespace-aware names whatever the document prefixes, locations and lines', () => {
    const doc = parseInvoiceDocument(INVOICE);
    expect(doc.type).toBe('Invoice');
    const lines = childrenNamed(doc.root, 'cac:InvoiceLine');
    expect(lines).toHaveLength(2);
    const amount = child(lines[1], 'cbc:LineExtensionAmount')!;
    expect(textOf(amount)).toBe('0.2');
    expect(locationOf(amount)).toBe('/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount');
    expect(locationOf(attrNode(amount, 'currencyID')!)).toBe('/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount/@currencyID');
    expect(locationOf(child(doc.root, 'cbc:ID')!)).toBe('/Invoice/cbc:ID');
    expect(amount.line).toBe(7);
    expect(descendants(doc.root, 'cbc:LineExtensionAmount')).toHaveLength(3);
    expect(select(doc.root, 'cac:InvoiceLine/cbc:ID').map((e) => textOf(e))).toEqual(['1', '2']);
  });

  test('refuses DOCTYPEs (entity expansion) and oversize input', () => {
    const bomb = '<!DOCTYPE x [<!ENTITY a "aaaa">]><Invoice>&a;</Invoice>';
    expect(() => parseInvoiceDocument(bomb)).toThrow(EfactError);
    expect(() => parseInvoiceDocument(INVOICE, { maxBytes: 100 })).toThrow(/limit/);
  });
});

describe('context patterns', () => {
  const doc = parseInvoiceDocument(INVOICE);
  const amount = select(doc.root, 'cac:InvoiceLine/cbc:LineExtensionAmount')[0]!;
  test('relative, absolute, descendant, attribute and union forms', () => {
    expect(pattern('cac:InvoiceLine/cbc:LineExtensionAmount').keys).toHaveLength(1);
    const m = (p: string) => matchesNode(p, amount);
    expect(m('cbc:LineExtensionAmount')).toBe(true);
    expect(m('cac:InvoiceLine/cbc:LineExtensionAmount')).toBe(true);
    expect(m('/ubl:Invoice/cac:InvoiceLine/cbc:LineExtensionAmount')).toBe(true);
    expect(m('/cac:InvoiceLine/cbc:LineExtensionAmount')).toBe(false);
    expect(m('//cac:InvoiceLine/cbc:LineExtensionAmount')).toBe(true);
    expect(m('/ubl:Invoice//cbc:LineExtensionAmount')).toBe(true);
    expect(m('/*/cac:InvoiceLine/cbc:LineExtensionAmount')).toBe(true);
    expect(m('cac:LegalMonetaryTotal/cbc:LineExtensionAmount | cac:CreditNoteLine/cbc:LineExtensionAmount')).toBe(false);
    expect(matchesNode('//@currencyID', attrNode(amount, 'currencyID')!)).toBe(true);
    expect(() => pattern('cac:AllowanceCharge[cbc:ChargeIndicator = false()]')).toThrow(/predicates/);
  });
});

function matchesNode(p: string, n: XNode): boolean {
  return matches(pattern(p), n);
}

describe('runner', () => {
  const always = (id: string) => ({ id, flag: 'fatal' as const, message: `[${id}]-  always\n fails`, test: () => false });

  test('first rule wins within a pattern (as XSLT template priority), not across patterns', () => {
    const rules = buildRuleSet([
      rule({ pattern: 'ROmodel', priority: 1013, context: 'cac:InvoiceLine', match: pattern('cac:InvoiceLine'), asserts: [always('FIRST')] }),
      rule({ pattern: 'ROmodel', priority: 1006, context: 'cac:InvoiceLine', match: pattern('cac:InvoiceLine'), asserts: [always('SHADOWED')] }),
      rule({ pattern: 'UBL-model', priority: 1056, context: 'cac:InvoiceLine', match: pattern('cac:InvoiceLine'), asserts: [always('OTHER-PATTERN')] }),
    ]);
    const r = validateInvoice(INVOICE, { rules, structure: false });
    expect(r.findings.map((f) => `${f.ruleId} ${f.location}`)).toEqual([
      'OTHER-PATTERN /Invoice/cac:InvoiceLine[1]',
      'OTHER-PATTERN /Invoice/cac:InvoiceLine[2]',
      'FIRST /Invoice/cac:InvoiceLine[1]',
      'FIRST /Invoice/cac:InvoiceLine[2]',
    ]);
    expect(r.findings[0]!.message).toBe('[OTHER-PATTERN]- always fails');
    expect(r.valid).toBe(false);
  });

  test('rule modules adding asserts to the same rule merge; a clash of contexts is refused', () => {
    const a = rule({ pattern: 'UBL-model', priority: 1057, context: '/ubl:Invoice', match: pattern('/ubl:Invoice'), asserts: [always('A')] });
    const b = rule({ ...a, asserts: [always('B')] });
    expect([...buildRuleSet([a, b]).ruleIds]).toEqual(['A', 'B']);
    expect(() => buildRuleSet([a, { ...b, context: 'cac:X', match: pattern('cac:X') }])).toThrow(/disagree/);
    expect(() => buildRuleSet([a, a])).toThrow(/twice/);
  });

  test('built-in rules: decimal sums (0.1 + 0.2 = 0.3) do not trip BR-CO-10', () => {
    const r = validateInvoice(INVOICE);
    const ids = r.findings.map((f) => f.ruleId);
    expect(ids).not.toContain('BR-CO-10');
    expect(ids).toEqual(expect.arrayContaining(['BR-01', 'BR-RO-001', 'BR-03', 'BR-05', 'BR-06']));
  });
});

describe('decimal helpers', () => {
  test('xs:decimal parsing, XPath rounding, decimals count', () => {
    expect(toDecimal(' 12.50 ')!.toString()).toBe('12.5');
    expect(toDecimal('1e3')).toBeNull();
    expect(toDecimal('')).toBeNull();
    expect(round2(dec('2.345')).toString()).toBe('2.35');
    expect(round2(dec('-2.345')).toString()).toBe('-2.34');
    expect(decimalsAfterPoint('10.123')).toBe(3);
    expect(decimalsAfterPoint('10')).toBe(0);
    const doc = parseInvoiceDocument(INVOICE);
    expect(sumOf(select(doc.root, 'cac:InvoiceLine/cbc:LineExtensionAmount')).toString()).toBe('0.3');
  });
});
