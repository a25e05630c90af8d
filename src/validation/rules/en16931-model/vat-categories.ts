/**
 * The VAT category families on their own elements: BR-x-05 (invoice line category), -06/-07
 * (document allowance/charge category), -08…10 (VAT breakdown), for S, Z, E, AE, K (BR-IC),
 * G, O, L (BR-IG), M (BR-IP). The families share contexts and test shapes; what differs per
 * family is in FAMILIES (rate rule, breakdown sum, tax amount, exemption reason).
 */
import { rule } from '../../registry.js';
import { pattern } from '../../context-pattern.js';
import { anywhere, childrenNamed, elementOf, select } from '../../model/navigate.js';
import type { XElement, XNode } from '../../model/document.js';
import type { RuleDef } from '../../types.js';
import { dec, decimalOf, round2, ZERO, type Dec } from '../../decimal.js';
import { catIs, chargeIs, chargeMatches, fatal, has, isVat, perDocument, single, someNumber } from './xpath.js';

type RateRule = 'zero' | 'positive' | 'non-negative' | 'absent';
type SumRule = 'exact' | 'rate-tolerance' | 'rate-tolerance-any-line';

interface Family {
  code: string;
  /** id prefix: BR-<prefix>-05… */
  prefix: string;
  priority: number; // of the breakdown rule; allowance -1, charge -2, line -3
  rate: RateRule;
  sum: SumRule;
  /** -09: tax amount zero, or taxable × rate within ±1 */
  taxAmount: 'zero' | 'rate';
  /** -10: exemption reason required, or forbidden */
  reason: 'required' | 'forbidden';
}

const FAMILIES: Family[] = [
  { code: 'AE', prefix: 'AE', priority: 1035, rate: 'zero', sum: 'exact', taxAmount: 'zero', reason: 'required' },
  { code: 'E', prefix: 'E', priority: 1031, rate: 'zero', sum: 'exact', taxAmount: 'zero', reason: 'required' },
  { code: 'G', prefix: 'G', priority: 1027, rate: 'zero', sum: 'exact', taxAmount: 'zero', reason: 'required' },
  { code: 'K', prefix: 'IC', priority: 1023, rate: 'zero', sum: 'exact', taxAmount: 'zero', reason: 'required' },
  { code: 'L', prefix: 'IG', priority: 1019, rate: 'non-negative', sum: 'rate-tolerance-any-line', taxAmount: 'rate', reason: 'forbidden' },
  { code: 'M', prefix: 'IP', priority: 1015, rate: 'non-negative', sum: 'rate-tolerance-any-line', taxAmount: 'rate', reason: 'forbidden' },
  { code: 'O', prefix: 'O', priority: 1011, rate: 'absent', sum: 'exact', taxAmount: 'zero', reason: 'required' },
  { code: 'S', prefix: 'S', priority: 1007, rate: 'positive', sum: 'rate-tolerance', taxAmount: 'rate', reason: 'forbidden' },
  { code: 'Z', prefix: 'Z', priority: 1003, rate: 'zero', sum: 'exact', taxAmount: 'zero', reason: 'forbidden' },
];

const VAT = "[cac:TaxScheme/normalize-space(upper-case(cbc:ID))='VAT']";

function rateOk(cat: XElement, rule: RateRule): boolean {
  switch (rule) {
    case 'zero': {
      const p = single(cat, 'cbc:Percent');
      return p !== null && p.isZero();
    }
    case 'positive':
      return someNumber(cat, 'cbc:Percent', (v) => v > 0);
    case 'non-negative':
      return someNumber(cat, 'cbc:Percent', (v) => v >= 0);
    case 'absent':
      return !has(cat, 'cbc:Percent');
  }
}

/** xs:decimal(x) of at most one node or null. */
function oneDecimal(nodes: XElement[]): Dec | null {
  if (nodes.length > 1) throw new RangeError('more than one value');
  return nodes.length === 0 ? null : decimalOf(nodes[0]);
}

/** A line's ClassifiedTaxCategory elements and LineExtensionAmount nodes. */
interface LineFacts {
  line: XElement;
  cats: XElement[];
  amounts: XElement[];
}

/**
 * The root's lineName children with what the -08 sums read, gathered once per document: every
 * breakdown category walks all lines, so a 5 000-line invoice would otherwise repeat the path
 * steps per category.
 */
function linesOf(root: XElement, lineName: string): LineFacts[] {
  return perDocument(root, `vat-lines:${lineName}`, () =>
    childrenNamed(root, lineName).map((line) => ({
      line,
      cats: select(line, 'cac:Item/cac:ClassifiedTaxCategory'),
      amounts: childrenNamed(line, 'cbc:LineExtensionAmount'),
    })),
  );
}

/** Does any ClassifiedTaxCategory / TaxCategory of the element match code (and rate)? */
function lineMatches(line: XElement, code: string, rate: Dec | null): boolean {
  return catsMatch(select(line, 'cac:Item/cac:ClassifiedTaxCategory'), code, rate);
}
function catsMatch(cats: XElement[], code: string, rate: Dec | null): boolean {
  if (!cats.some((c) => catIs(c, code))) return false;
  return rate === null || cats.some((c) => childrenNamed(c, 'cbc:Percent').some((p) => decimalOf(p).equals(rate)));
}
function allowanceChargeMatches(ac: XElement, code: string, rate: Dec | null): boolean {
  const cats = childrenNamed(ac, 'cac:TaxCategory');
  if (!cats.some((c) => catIs(c, code))) return false;
  return rate === null || cats.some((c) => childrenNamed(c, 'cbc:Percent').some((p) => decimalOf(p).equals(rate)));
}

/**
 * sum(root/lineName[code, rate]/LineExtensionAmount) + sum(root/AllowanceCharge[charge][code, rate]/Amount)
 * - sum(root/AllowanceCharge[allowance][code, rate]/Amount)
 */
function categoryBase(root: XElement, lineName: 'cac:InvoiceLine' | 'cac:CreditNoteLine', code: string, rate: Dec | null): Dec {
  let s: Dec = ZERO;
  for (const l of linesOf(root, lineName)) {
    if (catsMatch(l.cats, code, rate)) {
      const a = oneDecimal(l.amounts);
      if (a !== null) s = s.plus(a);
    }
  }
  for (const ac of childrenNamed(root, 'cac:AllowanceCharge')) {
    const charge = chargeIs(ac, true);
    const allowance = chargeIs(ac, false);
    if (!(charge || allowance) || !allowanceChargeMatches(ac, code, rate)) continue;
    const a = oneDecimal(childrenNamed(ac, 'cbc:Amount'));
    if (a === null) continue;
    if (charge) s = s.plus(a);
    if (allowance) s = s.minus(a);
  }
  return s;
}

/** `../xs:decimal(cbc:TaxableAmount ± 1)`: untyped arithmetic is done in double precision, then cast. */
function taxableShifted(subtotal: XElement, delta: number): Dec | null {
  const t = childrenNamed(subtotal, 'cbc:TaxableAmount');
  if (t.length > 1) throw new RangeError('more than one TaxableAmount');
  if (t.length === 0) return null;
  const text = t[0]!.text.trim();
  const v = Number(text);
  if (text === '' || Number.isNaN(v)) throw new RangeError(`TaxableAmount '${text}' is not a number`);
  return dec(String(v + delta));
}

function breakdownSumOk(cat: XElement, f: Family): boolean {
  const subtotal = cat.parent!;
  const root = subtotal.parent?.parent;
  if (!root) return false;
  const hasInvoiceLines = anywhere(cat, 'cac:InvoiceLine').length > 0;
  const hasCreditLines = anywhere(cat, 'cac:CreditNoteLine').length > 0;
  if (f.sum === 'exact') {
    const taxable = oneDecimal(childrenNamed(subtotal, 'cbc:TaxableAmount'));
    if (taxable === null) return false;
    return (
      (hasInvoiceLines && taxable.equals(categoryBase(root, 'cac:InvoiceLine', f.code, null))) ||
      (hasCreditLines && taxable.equals(categoryBase(root, 'cac:CreditNoteLine', f.code, null)))
    );
  }
  const percents = childrenNamed(cat, 'cbc:Percent');
  if (percents.length > 1) throw new RangeError('more than one Percent');
  if (percents.length === 0) return true; // every $rate in () satisfies …
  const rate = decimalOf(percents[0]);
  const within = (lineName: 'cac:InvoiceLine' | 'cac:CreditNoteLine') => {
    const base = categoryBase(root, lineName, f.code, rate);
    const low = taxableShifted(subtotal, -1);
    const high = taxableShifted(subtotal, 1);
    return low !== null && high !== null && low.lessThan(base) && high.greaterThan(base);
  };
  if (f.sum === 'rate-tolerance-any-line') {
    return (hasInvoiceLines && within('cac:InvoiceLine')) || (hasCreditLines && within('cac:CreditNoteLine'));
  }
  // S: the rate must also be used somewhere (a line of that kind, or any AllowanceCharge in the document).
  // Kept per document and (code, rate): //cac:AllowanceCharge includes every line's, and
  // several breakdown entries of one rate ask the same.
  const key = `${f.code}:${rate.toString()}`;
  const acUses = perDocument(cat, `vat-used:ac:${key}`, () =>
    anywhere(cat, 'cac:AllowanceCharge').some((ac) => allowanceChargeMatches(ac, f.code, rate)),
  );
  const used = (lineName: string) =>
    acUses || perDocument(cat, `vat-used:${lineName}:${key}`, () => anywhere(cat, lineName).some((l) => lineMatches(l, f.code, rate)));
  return (used('cac:InvoiceLine') && within('cac:InvoiceLine')) || (used('cac:CreditNoteLine') && within('cac:CreditNoteLine'));
}

function taxAmountOk(cat: XElement, f: Family): boolean {
  const subtotal = cat.parent!;
  const amount = oneDecimal(childrenNamed(subtotal, 'cbc:TaxAmount'));
  if (f.taxAmount === 'zero') return amount !== null && amount.isZero();
  const taxable = oneDecimal(childrenNamed(subtotal, 'cbc:TaxableAmount'));
  const percent = oneDecimal(childrenNamed(cat, 'cbc:Percent'));
  if (amount === null || taxable === null || percent === null) return false;
  const expected = round2(taxable.abs().times(percent.div(100)));
  return amount.abs().minus(1).lessThan(expected) && amount.abs().plus(1).greaterThan(expected);
}

function reasonOk(cat: XElement, f: Family): boolean {
  const any = has(cat, 'cbc:TaxExemptionReason') || has(cat, 'cbc:TaxExemptionReasonCode');
  return f.reason === 'required' ? any : !any;
}

const isCategory = (code: string) => (n: XNode) => n.kind === 'element' && catIs(n, code) && isVat(n);

function familyRules(f: Family): RuleDef[] {
  const id = (k: string) => `BR-${f.prefix}-${k}`;
  const m = (k: string) => MESSAGES[id(k)]!;
  const onCat = (test: (cat: XElement) => boolean) => (n: XNode) => test(elementOf(n));
  const lineSep = f.code === 'L' || f.code === 'M' ? '| ' : ' | ';
  const lineCat = `cac:Item/cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = '${f.code}']${VAT}`;
  const acCat = (b: string) => `cac:AllowanceCharge[cbc:ChargeIndicator=${b}()]/cac:TaxCategory[normalize-space(cbc:ID)='${f.code}']${VAT}`;
  return [
    rule({
      pattern: 'UBL-model',
      priority: f.priority,
      context: `/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[normalize-space(cbc:ID) = '${f.code}']${VAT}`,
      match: pattern('/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory', isCategory(f.code)),
      asserts: [
        fatal(id('08'), m('08'), onCat((c) => breakdownSumOk(c, f))),
        fatal(id('09'), m('09'), onCat((c) => taxAmountOk(c, f))),
        fatal(id('10'), m('10'), onCat((c) => reasonOk(c, f))),
      ],
    }),
    rule({
      pattern: 'UBL-model',
      priority: f.priority - 1,
      context: acCat('false'),
      match: pattern('cac:AllowanceCharge/cac:TaxCategory', (n) => isCategory(f.code)(n) && chargeMatches(elementOf(n).parent, false)),
      asserts: [fatal(id('06'), m('06'), onCat((c) => rateOk(c, f.rate)))],
    }),
    rule({
      pattern: 'UBL-model',
      priority: f.priority - 2,
      context: acCat('true'),
      match: pattern('cac:AllowanceCharge/cac:TaxCategory', (n) => isCategory(f.code)(n) && chargeMatches(elementOf(n).parent, true)),
      asserts: [fatal(id('07'), m('07'), onCat((c) => rateOk(c, f.rate)))],
    }),
    rule({
      pattern: 'UBL-model',
      priority: f.priority - 3,
      context: `cac:InvoiceLine/${lineCat}${lineSep}cac:CreditNoteLine/${lineCat}`,
      match: pattern(
        'cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory | cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory',
        isCategory(f.code),
      ),
      asserts: [fatal(id('05'), m('05'), onCat((c) => rateOk(c, f.rate)))],
    }),
  ];
}

/** ANAF's texts of BR-x-05…10, per id. */
const MESSAGES: Record<string, string> = {
  'BR-S-05':
    '[BR-S-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Standard rated" the Invoiced item VAT rate (BT-152) shall be greater than zero.',
  'BR-S-06':
    '[BR-S-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Standard rated" the Document level allowance VAT rate (BT-96) shall be greater than zero.',
  'BR-S-07':
    '[BR-S-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Standard rated" the Document level charge VAT rate (BT-103) shall be greater than zero.',
  'BR-S-08':
    '[BR-S-08]-For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) is "Standard rated", the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus the sum of document level charge amounts (BT-99) minus the sum of document level allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) is "Standard rated" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate (BT-119).',
  'BR-S-09':
    '[BR-S-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is "Standard rated" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).',
  'BR-S-10':
    '[BR-S-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "Standard rate" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).',
  'BR-Z-05':
    '[BR-Z-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Zero rated" the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
  'BR-Z-06':
    '[BR-Z-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Zero rated" the Document level allowance VAT rate (BT-96) shall be 0 (zero).',
  'BR-Z-07':
    '[BR-Z-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Zero rated" the Document level charge VAT rate (BT-103) shall be 0 (zero).',
  'BR-Z-08':
    '[BR-Z-08]-In a VAT breakdown (BG-23) where VAT category code (BT-118) is "Zero rated" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amount (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Zero rated".',
  'BR-Z-09':
    '[BR-Z-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is "Zero rated" shall equal 0 (zero).',
  'BR-Z-10':
    '[BR-Z-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "Zero rated" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).',
  'BR-E-05':
    '[BR-E-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Exempt from VAT", the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
  'BR-E-06':
    '[BR-E-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Exempt from VAT", the Document level allowance VAT rate (BT-96) shall be 0 (zero).',
  'BR-E-07':
    '[BR-E-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Exempt from VAT", the Document level charge VAT rate (BT-103) shall be 0 (zero).',
  'BR-E-08':
    '[BR-E-08]-In a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Exempt from VAT" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Exempt from VAT".',
  'BR-E-09':
    '[BR-E-09]-The VAT category tax amount (BT-117) In a VAT breakdown (BG-23) where the VAT category code (BT-118) equals "Exempt from VAT" shall equal 0 (zero).',
  'BR-E-10':
    '[BR-E-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "Exempt from VAT" shall have a VAT exemption reason code (BT-121) or a VAT exemption reason text (BT-120).',
  'BR-AE-05':
    '[BR-AE-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Reverse charge" the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
  'BR-AE-06':
    '[BR-AE-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Reverse charge" the Document level allowance VAT rate (BT-96) shall be 0 (zero).',
  'BR-AE-07':
    '[BR-AE-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Reverse charge" the Document level charge VAT rate (BT-103) shall be 0 (zero).',
  'BR-AE-08':
    '[BR-AE-08]-In a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Reverse charge" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Reverse charge".',
  'BR-AE-09':
    '[BR-AE-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Reverse charge" shall be 0 (zero).',
  'BR-AE-10':
    '[BR-AE-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "Reverse charge" shall have a VAT exemption reason code (BT-121), meaning "Reverse charge" or the VAT exemption reason text (BT-120) "Reverse charge" (or the equivalent standard text in another language).',
  'BR-IC-05':
    '[BR-IC-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Intracommunity supply" the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
  'BR-IC-06':
    '[BR-IC-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Intra-community supply" the Document level allowance VAT rate (BT-96) shall be 0 (zero).',
  'BR-IC-07':
    '[BR-IC-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Intra-community supply" the Document level charge VAT rate (BT-103) shall be 0 (zero).',
  'BR-IC-08':
    '[BR-IC-08]-In a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Intra-community supply" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Intra-community supply".',
  'BR-IC-09':
    '[BR-IC-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Intra-community supply" shall be 0 (zero).',
  'BR-IC-10':
    '[BR-IC-10]-A VAT breakdown (BG-23) with the VAT Category code (BT-118) "Intra-community supply" shall have a VAT exemption reason code (BT-121), meaning "Intra-community supply" or the VAT exemption reason text (BT-120) "Intra-community supply" (or the equivalent standard text in another language).',
  'BR-G-05':
    '[BR-G-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Export outside the EU" the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
  'BR-G-06':
    '[BR-G-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Export outside the EU" the Document level allowance VAT rate (BT-96) shall be 0 (zero).',
  'BR-G-07':
    '[BR-G-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Export outside the EU" the Document level charge VAT rate (BT-103) shall be 0 (zero).',
  'BR-G-08':
    '[BR-G-08]-In a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Export outside the EU" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Export outside the EU".',
  'BR-G-09':
    '[BR-G-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Export outside the EU" shall be 0 (zero).',
  'BR-G-10':
    '[BR-G-10]-A VAT breakdown (BG-23) with the VAT Category code (BT-118) "Export outside the EU" shall have a VAT exemption reason code (BT-121), meaning "Export outside the EU" or the VAT exemption reason text (BT-120) "Export outside the EU" (or the equivalent standard text in another language).',
  'BR-O-05':
    '[BR-O-05]-An Invoice line (BG-25) where the VAT category code (BT-151) is "Not subject to VAT" shall not contain an Invoiced item VAT rate (BT-152).',
  'BR-O-06':
    '[BR-O-06]-A Document level allowance (BG-20) where VAT category code (BT-95) is "Not subject to VAT" shall not contain a Document level allowance VAT rate (BT-96).',
  'BR-O-07':
    '[BR-O-07]-A Document level charge (BG-21) where the VAT category code (BT-102) is "Not subject to VAT" shall not contain a Document level charge VAT rate (BT-103).',
  'BR-O-08':
    '[BR-O-08]-In a VAT breakdown (BG-23) where the VAT category code (BT-118) is " Not subject to VAT" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Not subject to VAT".',
  'BR-O-09':
    '[BR-O-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Not subject to VAT" shall be 0 (zero).',
  'BR-O-10':
    '[BR-O-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) " Not subject to VAT" shall have a VAT exemption reason code (BT-121), meaning " Not subject to VAT" or a VAT exemption reason text (BT-120) " Not subject to VAT" (or the equivalent standard text in another language).',
  'BR-IG-05':
    '[BR-IG-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "IGIC" the invoiced item VAT rate (BT-152) shall be 0 (zero) or greater than zero.',
  'BR-IG-06':
    '[BR-IG-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "IGIC" the Document level allowance VAT rate (BT-96) shall be 0 (zero) or greater than zero.',
  'BR-IG-07':
    '[BR-IG-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "IGIC" the Document level charge VAT rate (BT-103) shall be 0 (zero) or greater than zero.',
  'BR-IG-08':
    '[BR-IG-08]-For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) is "IGIC", the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus the sum of document level charge amounts (BT-99) minus the sum of document level allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) is "IGIC" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate (BT-119).',
  'BR-IG-09':
    '[BR-IG-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is "IGIC" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).',
  'BR-IG-10':
    '[BR-IG-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "IGIC" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).',
  'BR-IP-05':
    '[BR-IP-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "IPSI" the Invoiced item VAT rate (BT-152) shall be 0 (zero) or greater than zero.',
  'BR-IP-06':
    '[BR-IP-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "IPSI" the Document level allowance VAT rate (BT-96) shall be 0 (zero) or greater than zero.',
  'BR-IP-07':
    '[BR-IP-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "IPSI" the Document level charge VAT rate (BT-103) shall be 0 (zero) or greater than zero.',
  'BR-IP-08':
    '[BR-IP-08]-For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) is "IPSI", the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus the sum of document level charge amounts (BT-99) minus the sum of document level allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) is "IPSI" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate (BT-119).',
  'BR-IP-09':
    '[BR-IP-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is "IPSI" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).',
  'BR-IP-10':
    '[BR-IP-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "IPSI" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).',
};

export default FAMILIES.flatMap(familyRules);
