import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidCif, makeCif } from '../../domain/cif.js';
import { parseXml, textAt } from '../../xml/parse.js';
import { CIUS_RO_CUSTOMIZATION_ID, readInvoiceMetadata } from '../../xml/invoice-metadata.js';
import { defaultDecide } from './decision.js';
import { buildSampleInvoice, sampleInvoiceTotals } from './sample-invoice.js';

const SUPPLIER = makeCif('1234567');
const BUYER = makeCif('7654321');

/** Cents of a decimal text, exactly. */
const cents = (v: string | null): number => {
  const [whole, frac = ''] = (v ?? 'NaN').split('.');
  return Number(whole) * 100 + Math.sign(Number(`${whole}1`)) * Number(frac.padEnd(2, '0'));
};

describe('buildSampleInvoice', () => {
  it('writes a CIUS-RO invoice that intake reads and the default decision accepts', () => {
    const xml = buildSampleInvoice({ supplierCif: SUPPLIER, buyerCif: BUYER, id: 'FCT-0042', issueDate: '2026-03-09' });
    const meta = readInvoiceMetadata(xml);
    expect(meta).toMatchObject({
      standard: 'UBL',
      invoiceId: 'FCT-0042',
      series: 'FCT',
      number: '0042',
      issueDate: '2026-03-09',
      supplierCif: SUPPLIER,
      buyerCif: BUYER,
      customizationId: CIUS_RO_CUSTOMIZATION_ID,
      currency: 'RON',
    });
    expect(isValidCif(meta.supplierCif!)).toBe(true);
    const root = parseXml(xml);
    expect(defaultDecide(new TextEncoder().encode(xml), meta, { root, standard: 'UBL', b2c: false, flags: {} })).toEqual({ ok: true });
    expect(textAt(root, 'AccountingSupplierParty', 'Party', 'PostalAddress', 'CountrySubentity')).toBe('RO-B');
    expect(textAt(root, 'AccountingSupplierParty', 'Party', 'PostalAddress', 'CityName')).toBe('SECTOR1');
    expect(textAt(root, 'DueDate')).toBe('2026-04-08');
  });

  it('adds up to the cent: lines, VAT per rate, totals (19 % by default)', () => {
    const totals = sampleInvoiceTotals();
    // 10 × 150.00 + 1 × 1234.56 = 2734.56; 19 % = 519.57
    expect(totals).toMatchObject({ lineExtension: '2734.56', tax: '519.57', taxInclusive: '3254.13', payable: '3254.13' });
    expect(totals.breakdown).toEqual([{ category: 'S', percent: 19, taxable: '2734.56', tax: '519.57' }]);
  });

  it('stays EN 16931-consistent for any lines (property)', () => {
    const line = fc.record({
      name: fc.constantFrom('Marfa', 'Servicii', 'Transport'),
      quantity: fc.integer({ min: 1, max: 100_000 }).map((n) => n / 1000),
      unitPrice: fc.integer({ min: 1, max: 10_000_000 }).map((n) => n / 100),
      vatPercent: fc.constantFrom(19, 9, 5, 0),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
        const root = parseXml(buildSampleInvoice({ supplierCif: SUPPLIER, buyerCif: BUYER, id: 'P-1', issueDate: '2026-03-09', lines }));
        const lineSum = root.children.filter((c) => c.name === 'InvoiceLine').reduce((s, l) => s + cents(textAt(l, 'LineExtensionAmount')), 0);
        const total = (name: string): number => cents(textAt(root, 'LegalMonetaryTotal', name));
        const taxTotal = root.children.find((c) => c.name === 'TaxTotal')!;
        const subtotals = taxTotal.children.filter((c) => c.name === 'TaxSubtotal');
        expect(total('LineExtensionAmount')).toBe(lineSum); // BR-CO-10
        expect(total('TaxExclusiveAmount')).toBe(lineSum); // BR-CO-13
        expect(subtotals.reduce((s, st) => s + cents(textAt(st, 'TaxAmount')), 0)).toBe(cents(textAt(taxTotal, 'TaxAmount'))); // BR-CO-14
        expect(subtotals.reduce((s, st) => s + cents(textAt(st, 'TaxableAmount')), 0)).toBe(lineSum);
        for (const st of subtotals) {
          const rate = Number(textAt(st, 'TaxCategory', 'Percent'));
          const expected = Math.round((cents(textAt(st, 'TaxableAmount')) * rate) / 100);
          expect(Math.abs(cents(textAt(st, 'TaxAmount')) - expected)).toBeLessThanOrEqual(1); // BR-CO-17
        }
        expect(total('TaxInclusiveAmount')).toBe(total('TaxExclusiveAmount') + cents(textAt(taxTotal, 'TaxAmount'))); // BR-CO-15
        expect(total('PayableAmount')).toBe(total('TaxInclusiveAmount')); // BR-CO-16
      }),
      { numRuns: 60 },
    );
  });

  it('writes a credit note when asked, and escapes text', () => {
    const xml = buildSampleInvoice({ supplierCif: SUPPLIER, buyerCif: BUYER, id: 'CN-1', issueDate: '2026-03-09', creditNote: true, supplierName: 'A & B <SRL>' });
    const root = parseXml(xml);
    expect(root.name).toBe('CreditNote');
    expect(textAt(root, 'CreditNoteTypeCode')).toBe('381');
    expect(textAt(root, 'AccountingSupplierParty', 'Party', 'PartyName', 'Name')).toBe('A & B <SRL>');
    expect(readInvoiceMetadata(xml).standard).toBe('CN');
  });
});
