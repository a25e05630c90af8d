/**
 * CIUS-RO restrictions on single elements: the item net price is not negative (BR-27, which ANAF
 * moved here from EN 16931), the invoice / credit note type codes (BR-RO-020) and the VAT point
 * date code (BR-RO-040).
 */
import { rule } from '../../registry.js';
import { pattern } from '../../context-pattern.js';
import type { XNode } from '../../model/document.js';
import { normalizeSpace, stringValue } from '../../model/navigate.js';
import { xpathNumber } from '../../decimal.js';

/** not(contains(normalize-space(.), ' ')) and contains(' a b c ', concat(' ', normalize-space(.), ' ')) */
function oneOf(list: string): (n: XNode) => boolean {
  return (n) => {
    const v = normalizeSpace(stringValue(n));
    return !v.includes(' ') && list.includes(` ${v} `);
  };
}

/** `(.) >= 0`: the untyped value compared as xs:double; a value that is no number stops the XSLT. */
function notNegative(n: XNode): boolean {
  const s = stringValue(n);
  const v = xpathNumber(s);
  if (Number.isNaN(v) && s.trim() !== 'NaN') throw new RangeError(`FORG0001: '${s}' is not a number`);
  return v >= 0;
}

export default [
  rule({
    pattern: 'ROmodel',
    priority: 1021,
    context: 'cbc:PriceAmount',
    match: pattern('cbc:PriceAmount'),
    asserts: [
      {
        id: 'BR-27',
        flag: 'fatal',
        message: "[BR-27]-Preţul net al articolului (BT-146) trebuie să NU fie negativ. #The Item net price (BT-146) shall NOT be negative. ({name(.)} = '{.}')",
        test: notNegative,
      },
    ],
  }),
  rule({
    pattern: 'ROmodel',
    priority: 1020,
    context: 'cbc:InvoiceTypeCode',
    match: pattern('cbc:InvoiceTypeCode'),
    asserts: [
      {
        id: 'BR-RO-020_1',
        flag: 'fatal',
        message:
          '[BR-RO-020]-Codul tipului facturii (BT-3) trebuie sa fie unul dintre urmatoarele coduri din lista de coduri UNTDID 1001: 380 (Factura), 389 (Autofactura), 384 (Factura corectata), 381 (Nota de creditare), 751 (Factura — informatii în scopuri contabile). #The invoice type code (BT-3) must be one of the following codes in the UNTDID 1001 code list: 380 (Invoice), 389 (Self-invoice), 384 (Corrected invoice), 381 (Credit note), 751 (Invoice - information for accounting purposes).',
        test: oneOf(' 380 384 389 751 '),
      },
    ],
  }),
  rule({
    pattern: 'ROmodel',
    priority: 1019,
    context: 'cbc:CreditNoteTypeCode',
    match: pattern('cbc:CreditNoteTypeCode'),
    asserts: [
      {
        id: 'BR-RO-020_2',
        flag: 'fatal',
        message:
          "[BR-RO-020]-Codul tipului facturii (BT-3) trebuie sa fie unul dintre urmatoarele coduri din lista de coduri UNTDID 1001: 380 (Factura), 389 (Autofactura), 384 (Factura corectata), 381 (Nota de creditare), 751 (Factura — informatii în scopuri contabile). ({name(.)} = '{.}') #The invoice type code (BT-3) must be one of the following codes in the UNTDID 1001 code list: 380 (Invoice), 389 (Self-invoice), 384 (Corrected invoice), 381 (Credit note), 751 (Invoice - information for accounting purposes).",
        test: oneOf(' 381 '),
      },
    ],
  }),
  rule({
    pattern: 'ROmodel',
    priority: 1014,
    context: 'cac:InvoicePeriod/cbc:DescriptionCode',
    match: pattern('cac:InvoicePeriod/cbc:DescriptionCode'),
    asserts: [
      {
        id: 'BR-RO-040',
        flag: 'fatal',
        message:
          '[BR-RO-040]-Codul datei de exigibilitate a taxei pe valoarea adaugata (BT-8) trebuie sa fie unul dintre urmatoarele coduri din lista de coduri UNTDID 2005: 3 (Data emiterii facturii), 35 (Data reala a livrarii), 432 (Suma platita în acea zi). #Value added tax point date code MUST be coded using a restriction of UNTDID 2005 (only 3, 35 and 432).',
        test: oneOf(' 3 35 432 '),
      },
    ],
  }),
];
