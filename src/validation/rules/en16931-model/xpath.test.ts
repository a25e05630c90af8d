import { describe, expect, test } from 'vitest';
import { parseInvoiceDocument } from '../../model/document.js';
import { child } from '../../model/navigate.js';
import { atMostTwoDecimals, booleanOf, catIs, chargeIs, chargeMatches, isVat, untypedNumber } from './xpath.js';

const doc = (body: string) =>
  parseInvoiceDocument(
    `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">${body}</Invoice>`,
  ).root;

describe('XPath idioms of the EN 16931 rules', () => {
  test('xs:boolean casts accept true/false/1/0 with whitespace only', () => {
    expect([booleanOf(' true '), booleanOf('0'), booleanOf('yes')]).toEqual([true, false, undefined]);
  });

  test('ChargeIndicator: an invalid value throws in a test but simply does not match in a context', () => {
    const ac = child(doc('<cac:AllowanceCharge><cbc:ChargeIndicator>yes</cbc:ChargeIndicator></cac:AllowanceCharge>'), 'cac:AllowanceCharge')!;
    expect(() => chargeIs(ac, true)).toThrow();
    expect(chargeMatches(ac, true)).toBe(false);
  });

  test('TaxScheme VAT is compared trimmed and upper-cased; category codes trimmed', () => {
    const cat = child(doc('<cac:TaxCategory><cbc:ID> S </cbc:ID><cac:TaxScheme><cbc:ID> vat </cbc:ID></cac:TaxScheme></cac:TaxCategory>'), 'cac:TaxCategory')!;
    expect(isVat(cat)).toBe(true);
    expect(catIs(cat, 'S')).toBe(true);
  });

  test('untyped numbers are doubles; non-numbers are errors', () => {
    expect(untypedNumber(' 1e2 ')).toBe(100);
    expect(() => untypedNumber('')).toThrow();
    expect(() => untypedNumber('12,5')).toThrow();
  });

  test('decimals are counted after the first point; a missing element passes; two elements are an error', () => {
    const root = doc('<cbc:Amount>1.005</cbc:Amount><cbc:BaseAmount>2.50</cbc:BaseAmount><cbc:Note>a</cbc:Note><cbc:Note>b</cbc:Note>');
    expect(atMostTwoDecimals(root, 'cbc:Amount')).toBe(false);
    expect(atMostTwoDecimals(root, 'cbc:BaseAmount')).toBe(true);
    expect(atMostTwoDecimals(root, 'cbc:PriceAmount')).toBe(true);
    expect(() => atMostTwoDecimals(root, 'cbc:Note')).toThrow();
  });
});
