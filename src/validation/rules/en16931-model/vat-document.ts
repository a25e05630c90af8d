/**
 * The VAT category families on the document as a whole (root context): BR-S/Z/E/AE/K(IC)/G/O/
 * L(IG)/M(IP)-01…04, BR-IC-11/12, BR-O-11…14, BR-B-01/02. Each family's XPath differs in small
 * ways (which lists filter on TaxScheme VAT, normalize-space or not); the option names say which.
 */
import { rule } from '../../registry.js';
import { anywhere, childrenNamed, elementOf, select, stringValue } from '../../model/navigate.js';
import type { XElement, XNode } from '../../model/document.js';
import { MODEL_ROOT } from '../contexts.js';
import { NS } from '../../model/namespaces.js';
import { catIs, catRawIs, chargeIs, fatal, has, isVat, perDocument } from './xpath.js';

const el = elementOf;

/** `//cac:TaxCategory` */
const taxCategories = (n: XNode) => anywhere(n, 'cac:TaxCategory');
/** `//cac:ClassifiedTaxCategory` */
const classified = (n: XNode) => anywhere(n, 'cac:ClassifiedTaxCategory');
/** `//cac:AllowanceCharge[cbc:ChargeIndicator = want]/cac:TaxCategory` (any AllowanceCharge when want is undefined). */
function allowanceChargeCategories(n: XNode, want?: boolean): XElement[] {
  return perDocument(n, `ac-categories:${want}`, () =>
    anywhere(n, 'cac:AllowanceCharge')
      .filter((ac) => want === undefined || chargeIs(ac, want))
      .flatMap((ac) => childrenNamed(ac, 'cac:TaxCategory')),
  );
}
/** `(/ubl:Invoice|/cn:CreditNote)/cac:AllowanceCharge[…]/cac:TaxCategory` */
function documentLevelCategories(n: XNode, want: boolean): XElement[] {
  const root = el(n).doc.root;
  if (root.ns !== NS.ubl && root.ns !== NS.cn) return [];
  if (root.local !== (root.ns === NS.ubl ? 'Invoice' : 'CreditNote')) return [];
  return childrenNamed(root, 'cac:AllowanceCharge')
    .filter((ac) => chargeIs(ac, want))
    .flatMap((ac) => childrenNamed(ac, 'cac:TaxCategory'));
}
/** `cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory` of the root. */
const breakdown = (n: XNode) => perDocument(n, 'breakdown', () => select(el(n), 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory'));

// Each family asks the same lists (every ClassifiedTaxCategory of the document…) for its code:
// answers are kept per list object, so a 5 000-line invoice is filtered once per question.
const filtered = new WeakMap<readonly XElement[], Map<string, XElement[]>>();
function memoFilter(list: readonly XElement[], key: string, compute: () => XElement[]): XElement[] {
  let m = filtered.get(list);
  if (m === undefined) {
    m = new Map();
    filtered.set(list, m);
  }
  let v = m.get(key);
  if (v === undefined) {
    v = compute();
    m.set(key, v);
  }
  return v;
}

/** `X[cac:TaxScheme…='VAT']/cbc:ID[normalize-space(.) = code]` — the matching ID elements (they are counted). */
function vatIds(cats: XElement[], code: string): readonly XElement[] {
  return memoFilter(cats, `ids:${code}`, () =>
    cats.filter(isVat).flatMap((c) => childrenNamed(c, 'cbc:ID').filter((i) => stringValue(i).replace(/[ \t\r\n]+/g, ' ').trim() === code)),
  );
}
const withCode = (cats: XElement[], code: string, vat: boolean): readonly XElement[] =>
  memoFilter(cats, `code:${code}:${vat}`, () => cats.filter((c) => catIs(c, code) && (!vat || isVat(c))));

// Seller / buyer identifiers as the -02…04 rules look for them.
const sellerAnyTaxId = (n: XNode) =>
  anywhere(n, 'cac:AccountingSupplierParty').some((p) => has(p, 'cac:Party/cac:PartyTaxScheme/cbc:CompanyID'));
const vatSchemes = (parties: XElement[], path: string) =>
  parties.flatMap((p) => select(p, path)).filter(isVat).some((s) => has(s, 'cbc:CompanyID'));
const sellerVatId = (n: XNode) => vatSchemes(anywhere(n, 'cac:AccountingSupplierParty'), 'cac:Party/cac:PartyTaxScheme');
const taxRepVatId = (n: XNode) => vatSchemes(anywhere(n, 'cac:TaxRepresentativeParty'), 'cac:PartyTaxScheme');
const buyerVatId = (n: XNode) => vatSchemes(anywhere(n, 'cac:AccountingCustomerParty'), 'cac:Party/cac:PartyTaxScheme');
const buyerLegalId = (n: XNode) =>
  anywhere(n, 'cac:AccountingCustomerParty').some((p) => has(p, 'cac:Party/cac:PartyLegalEntity/cbc:CompanyID'));

/** -01 "exactly one" form (AE, E, G, K, O, Z). */
function exactlyOneInBreakdown(n: XNode, code: string): boolean {
  const used = vatIds(taxCategories(n), code).length > 0 || vatIds(classified(n), code).length > 0;
  return used ? vatIds(breakdown(n), code).length === 1 : true;
}

/** -02…04 "the seller is identified" form: `(exists(used) and seller) or not(exists(usedTail))`. */
const sellerRule = (used: boolean, identified: () => boolean, usedTail: boolean) => (used && identified()) || !usedTail;

export default [
  rule({
    ...MODEL_ROOT,
    asserts: [
      // ── S: Standard rated
      fatal(
        'BR-S-01',
        '[BR-S-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Standard rated" shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with "Standard rated".',
        (n) => {
          const used = withCode(allowanceChargeCategories(n), 'S', false).length + withCode(classified(n), 'S', false).length;
          const inBreakdown = withCode(breakdown(n), 'S', false).length;
          return (used > 0 && inBreakdown > 0) || (used === 0 && inBreakdown === 0);
        },
      ),
      fatal(
        'BR-S-02',
        '[BR-S-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Standard rated" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
        (n) =>
          sellerRule(
            withCode(classified(n), 'S', true).length > 0,
            () => sellerAnyTaxId(n) || taxRepVatId(n),
            withCode(classified(n), 'S', false).length > 0,
          ),
      ),
      fatal(
        'BR-S-03',
        '[BR-S-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Standard rated" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
        (n) => {
          const used = withCode(allowanceChargeCategories(n, false), 'S', true).length > 0;
          return sellerRule(used, () => sellerAnyTaxId(n) || taxRepVatId(n), used);
        },
      ),
      fatal(
        'BR-S-04',
        '[BR-S-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Standard rated" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
        (n) => {
          const used = withCode(allowanceChargeCategories(n, true), 'S', true).length > 0;
          return sellerRule(used, () => sellerAnyTaxId(n) || taxRepVatId(n), used);
        },
      ),
      // ── Z: Zero rated
      fatal(
        'BR-Z-01',
        '[BR-Z-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Zero rated" shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with "Zero rated".',
        (n) => exactlyOneInBreakdown(n, 'Z'),
      ),
      ...sellerFamily('Z', {
        '02': '[BR-Z-02]-An Invoice that contains an Invoice line where the Invoiced item VAT category code (BT-151) is "Zero rated" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
        '03': '[BR-Z-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Zero rated" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
        '04': '[BR-Z-04]-An Invoice that contains a Document level charge where the Document level charge VAT category code (BT-102) is "Zero rated" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
      }),
      // ── E: Exempt from VAT
      fatal(
        'BR-E-01',
        '[BR-E-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Exempt from VAT" shall contain exactly one VAT breakdown (BG-23) with the VAT category code (BT-118) equal to "Exempt from VAT".',
        (n) => exactlyOneInBreakdown(n, 'E'),
      ),
      ...sellerFamily('E', {
        '02': '[BR-E-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Exempt from VAT" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
        '03': '[BR-E-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Exempt from VAT" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
        '04': '[BR-E-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Exempt from VAT" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
      }),
      // ── AE: Reverse charge (the buyer must be identified too)
      fatal(
        'BR-AE-01',
        '[BR-AE-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Reverse charge" shall contain in the VAT Breakdown (BG-23) exactly one VAT category code (BT-118) equal with "VAT reverse charge".',
        (n) => exactlyOneInBreakdown(n, 'AE'),
      ),
      ...sellerFamily(
        'AE',
        {
          '02': '[BR-AE-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Reverse charge" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).',
          '03': '[BR-AE-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Reverse charge" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).',
          '04': '[BR-AE-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Reverse charge" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).',
        },
        (n) => (sellerAnyTaxId(n) || taxRepVatId(n)) && (buyerVatId(n) || buyerLegalId(n)),
      ),
      // ── K: Intra-community supply (ids BR-IC-*)
      fatal(
        'BR-IC-01',
        '[BR-IC-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Intra-community supply" shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with "Intra-community supply".',
        (n) => exactlyOneInBreakdown(n, 'K'),
      ),
      ...sellerFamily(
        'K',
        {
          '02': '[BR-IC-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Intra-community supply" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48).',
          '03': '[BR-IC-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Intra-community supply" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48).',
          '04': '[BR-IC-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Intra-community supply" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48).',
        },
        (n) => (sellerVatId(n) || taxRepVatId(n)) && buyerVatId(n),
        'IC',
      ),
      fatal(
        'BR-IC-11',
        '[BR-IC-11]-In an Invoice with a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Intra-community supply" the Actual delivery date (BT-72) or the Invoicing period (BG-14) shall not be blank.',
        (n) =>
          vatIds(breakdown(n), 'K').length === 0 ||
          stringLength(el(n), 'cac:Delivery/cbc:ActualDeliveryDate') > 1 ||
          select(el(n), 'cac:InvoicePeriod').some((p) => p.children.length > 0),
      ),
      fatal(
        'BR-IC-12',
        '[BR-IC-12]-In an Invoice with a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Intra-community supply" the Deliver to country code (BT-80) shall not be blank.',
        (n) =>
          vatIds(breakdown(n), 'K').length === 0 ||
          stringLength(el(n), 'cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode') > 1,
      ),
      // ── G: Export outside the EU
      fatal(
        'BR-G-01',
        '[BR-G-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Export outside the EU" shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with "Export outside the EU".',
        (n) => exactlyOneInBreakdown(n, 'G'),
      ),
      fatal(
        'BR-G-02',
        '[BR-G-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Export outside the EU" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).',
        (n) => {
          const used = withCode(classified(n), 'G', true).length > 0;
          return sellerRule(used, () => sellerVatId(n) || taxRepVatId(n), used);
        },
      ),
      fatal(
        'BR-G-03',
        '[BR-G-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Export outside the EU" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).',
        (n) =>
          sellerRule(
            withCode(allowanceChargeCategories(n, false), 'G', false).length > 0,
            () => sellerVatId(n) || taxRepVatId(n),
            withCode(allowanceChargeCategories(n, false), 'G', true).length > 0,
          ),
      ),
      fatal(
        'BR-G-04',
        '[BR-G-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Export outside the EU" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).',
        (n) =>
          sellerRule(
            withCode(allowanceChargeCategories(n, true), 'G', false).length > 0,
            () => sellerVatId(n) || taxRepVatId(n),
            withCode(allowanceChargeCategories(n, true), 'G', true).length > 0,
          ),
      ),
      // ── O: Not subject to VAT (the parties must NOT have VAT identifiers)
      fatal(
        'BR-O-01',
        '[BR-O-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Not subject to VAT" shall contain exactly one VAT breakdown group (BG-23) with the VAT category code (BT-118) equal to "Not subject to VAT".',
        (n) => exactlyOneInBreakdown(n, 'O'),
      ),
      fatal(
        'BR-O-02',
        '[BR-O-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Not subject to VAT" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).',
        (n) => {
          const used = withCode(classified(n), 'O', true).length > 0;
          return sellerRule(used, () => !sellerVatId(n) && !taxRepVatId(n) && !buyerVatId(n), used);
        },
      ),
      fatal(
        'BR-O-03',
        '[BR-O-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Not subject to VAT" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).',
        (n) => {
          const used = withCode(documentLevelCategories(n, false), 'O', true).length > 0;
          return sellerRule(used, () => !sellerVatId(n) && !taxRepVatId(n) && !buyerVatId(n), used);
        },
      ),
      fatal(
        'BR-O-04',
        '[BR-O-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Not subject to VAT" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).',
        (n) => {
          const used = withCode(documentLevelCategories(n, true), 'O', true).length > 0;
          return sellerRule(used, () => !sellerVatId(n) && !taxRepVatId(n) && !buyerVatId(n), used);
        },
      ),
      fatal(
        'BR-O-11',
        '[BR-O-11]-An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) "Not subject to VAT" shall not contain other VAT breakdown groups (BG-23).',
        (n) => vatIds(breakdown(n), 'O').length === 0 || breakdown(n).filter((c) => !catIs(c, 'O') && isVat(c)).length === 0,
      ),
      fatal(
        'BR-O-12',
        '[BR-O-12]-An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) "Not subject to VAT" shall not contain an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is not "Not subject to VAT".',
        (n) => vatIds(breakdown(n), 'O').length === 0 || classified(n).filter((c) => !catIs(c, 'O') && isVat(c)).length === 0,
      ),
      fatal(
        'BR-O-13',
        '[BR-O-13]-An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) "Not subject to VAT" shall not contain Document level allowances (BG-20) where Document level allowance VAT category code (BT-95) is not "Not subject to VAT".',
        (n) =>
          vatIds(breakdown(n), 'O').length === 0 ||
          allowanceChargeCategories(n, false).filter((c) => !catIs(c, 'O') && isVat(c)).length === 0,
      ),
      fatal(
        'BR-O-14',
        '[BR-O-14]-An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) "Not subject to VAT" shall not contain Document level charges (BG-21) where Document level charge VAT category code (BT-102) is not "Not subject to VAT".',
        (n) =>
          vatIds(breakdown(n), 'O').length === 0 ||
          allowanceChargeCategories(n, true).filter((c) => !catIs(c, 'O') && isVat(c)).length === 0,
      ),
      // ── L: IGIC (ids BR-IG-*)
      fatal(
        'BR-IG-01',
        '[BR-IG-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "IGIC" shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with "IGIC".',
        (n) => {
          const used = withCode(allowanceChargeCategories(n), 'L', true).length + withCode(classified(n), 'L', true).length;
          if (used > 0) return breakdown(n).filter((c) => catRawIs(c, 'L')).length > 0;
          return withCode(breakdown(n), 'L', true).length === 0;
        },
      ),
      ...sellerFamily('L', {
        '02': '[BR-IG-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "IGIC" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
        '03': '[BR-IG-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "IGIC" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
        '04': '[BR-IG-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "IGIC" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
      }, undefined, 'IG'),
      // ── M: IPSI (ids BR-IP-*)
      fatal(
        'BR-IP-01',
        '[BR-IP-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "IPSI" shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with "IPSI".',
        (n) => {
          const used = withCode(allowanceChargeCategories(n), 'M', true).length + withCode(classified(n), 'M', true).length;
          if (used > 0) return breakdown(n).filter((c) => catRawIs(c, 'M') && isVat(c)).length > 0;
          return withCode(breakdown(n), 'M', true).length === 0;
        },
      ),
      ...sellerFamily('M', {
        '02': '[BR-IP-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "IPSI" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
        '03': '[BR-IP-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "IPSI" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
        '04': '[BR-IP-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "IPSI" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
      }, undefined, 'IP'),
      // ── B: Split payment (raw comparisons, no TaxScheme filter)
      fatal(
        'BR-B-01',
        '[BR-B-01]-An Invoice where the VAT category code (BT-151, BT-95 or BT-102) is “Split payment” shall be a domestic Italian invoice.',
        (n) => !splitPayment(n) || !anywhere(n, 'cbc:IdentificationCode').some((c) => stringValue(c) !== 'IT'),
      ),
      fatal(
        'BR-B-02',
        '[BR-B-02]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is “Split payment" shall not contain an invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is “Standard rated”.',
        (n) => !splitPayment(n) || !(taxCategories(n).some((c) => catRawIs(c, 'S')) || classified(n).some((c) => catRawIs(c, 'S'))),
      ),
    ],
  }),
];

function splitPayment(n: XNode): boolean {
  return taxCategories(n).some((c) => catRawIs(c, 'B')) || classified(n).some((c) => catRawIs(c, 'B'));
}

/** string-length(path): the one node's length in characters; 0 for none; several is an error. */
function stringLength(from: XElement, path: string): number {
  const nodes = select(from, path);
  if (nodes.length > 1) throw new RangeError(`${path}: more than one value`);
  return nodes.length === 0 ? 0 : [...stringValue(nodes[0])].length;
}

/**
 * BR-x-02…04 for the families whose three rules share one shape: (exists(used, VAT) and
 * identified) or not(exists(used, VAT)); the seller test is "any seller tax id or a VAT tax
 * representative" unless given. IG-04 checks the raw cbc:ID in its last clause.
 */
function sellerFamily(
  code: string,
  messages: { '02': string; '03': string; '04': string },
  identified: (n: XNode) => boolean = (n) => sellerAnyTaxId(n) || taxRepVatId(n),
  idPrefix: string = code,
) {
  return [
    fatal(`BR-${idPrefix}-02`, messages['02'], (n) => {
      const used = withCode(classified(n), code, true).length > 0;
      return sellerRule(used, () => identified(n), used);
    }),
    fatal(`BR-${idPrefix}-03`, messages['03'], (n) => {
      const used = withCode(allowanceChargeCategories(n, false), code, true).length > 0;
      return sellerRule(used, () => identified(n), used);
    }),
    fatal(`BR-${idPrefix}-04`, messages['04'], (n) => {
      const cats = allowanceChargeCategories(n, true);
      const used = withCode(cats, code, true).length > 0;
      const usedTail = code === 'L' ? cats.some((c) => catRawIs(c, 'L') && isVat(c)) : used;
      return sellerRule(used, () => identified(n), usedTail);
    }),
  ];
}
