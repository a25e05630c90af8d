/**
 * EN 16931 rules on the parties (BR-09/11/17…20, BR-56/57, BR-62/63, BR-CO-09/26), payment
 * (BR-49…51, BR-61, BR-CO-25), references (BR-52, BR-55), and the note subject code (BR-CL-08,
 * which ANAF's bundle keeps in UBL-model).
 */
import { rule } from '../../registry.js';
import { pattern } from '../../context-pattern.js';
import { anyNonEmpty, anywhere, childrenNamed, elementOf, normalizeSpace, select, stringValue } from '../../model/navigate.js';
import type { XElement, XNode } from '../../model/document.js';
import { UNTDID_4451_NOTE_SUBJECT, VAT_ID_PREFIXES } from '../codelists/lists.js';
import { fatal, has, isVat, untypedNumber, warning } from './xpath.js';

const el = elementOf;
const hasAttr = (n: XNode, name: string) => el(n).attrs.some((a) => a.local === name && a.ns === '');
const countryGiven = (n: XNode) => anyNonEmpty(el(n), 'cac:Country/cbc:IdentificationCode');
const vatCompanyId = (party: XElement, path: string) => select(party, path).filter(isVat).some((s) => has(s, 'cbc:CompanyID'));

/** normalize-space(path) of at most one node ('' for none; several is an error). */
function normalizedOne(from: XElement, path: string): string {
  const nodes = select(from, path);
  if (nodes.length > 1) throw new RangeError(`${path}: more than one value`);
  return normalizeSpace(stringValue(nodes[0]));
}

/** The list as the assert's string literal: BR-CL-08 looks the code up with a plain contains(). */
const NOTE_SUBJECTS_TEXT = ` ${[...UNTDID_4451_NOTE_SUBJECT].join(' ')} `;

function substringBeforeAfterHash(s: string): string {
  const i = s.indexOf('#');
  if (i < 0) return '';
  const rest = s.slice(i + 1);
  const j = rest.indexOf('#');
  return j < 0 ? '' : rest.slice(0, j);
}

export default [
  rule({
    pattern: 'UBL-model',
    priority: 1066,
    context: 'cac:AdditionalDocumentReference',
    match: pattern('cac:AdditionalDocumentReference'),
    asserts: [
      fatal('BR-52', '[BR-52]-Each Additional supporting document (BG-24) shall contain a Supporting document reference (BT-122).', (n) =>
        anyNonEmpty(el(n), 'cbc:ID'),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1065,
    context: '/ubl:Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount',
    match: pattern('/ubl:Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount'),
    asserts: [
      fatal(
        'BR-CO-25',
        '[BR-CO-25]-In case the Amount due for payment (BT-115) is positive, either the Payment due date (BT-9) or the Payment terms (BT-20) shall be present.',
        (n) => {
          const v = untypedNumber(stringValue(n));
          const termsGiven = anywhere(n, 'cbc:DueDate').length > 0 || anywhere(n, 'cac:PaymentTerms').some((t) => has(t, 'cbc:Note'));
          return (v > 0 && termsGiven) || v <= 0;
        },
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1064,
    context: 'cac:AccountingCustomerParty/cac:Party/cbc:EndpointID',
    match: pattern('cac:AccountingCustomerParty/cac:Party/cbc:EndpointID'),
    asserts: [fatal('BR-63', '[BR-63]-The Buyer electronic address (BT-49) shall have a Scheme identifier.', (n) => hasAttr(n, 'schemeID'))],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1063,
    context: 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress',
    match: pattern('cac:AccountingCustomerParty/cac:Party/cac:PostalAddress'),
    asserts: [fatal('BR-11', '[BR-11]-The Buyer postal address shall contain a Buyer country code (BT-55).', countryGiven)],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1062,
    context: 'cac:PaymentMeans/cac:CardAccount',
    match: pattern('cac:PaymentMeans/cac:CardAccount'),
    asserts: [
      warning(
        'BR-51',
        '[BR-51]-In accordance with card payments security standards an invoice should never include a full card primary account number (BT-87). At the moment PCI Security Standards Council has defined that the first 6 digits and last 4 digits are the maximum number of digits to be shown.',
        (n) => {
          const nodes = select(el(n), 'cbc:PrimaryAccountNumberID');
          if (nodes.length > 1) throw new RangeError('more than one PrimaryAccountNumberID');
          return [...stringValue(nodes[0])].length <= 10;
        },
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1061,
    context: 'cac:Delivery/cac:DeliveryLocation/cac:Address',
    match: pattern('cac:Delivery/cac:DeliveryLocation/cac:Address'),
    asserts: [
      fatal('BR-57', '[BR-57]-Each Deliver to address (BG-15) shall contain a Deliver to country code (BT-80).', (n) =>
        has(el(n), 'cac:Country/cbc:IdentificationCode'),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1048,
    context: '/ubl:Invoice/cbc:Note | /cn:CreditNote/cbc:Note',
    match: pattern('/ubl:Invoice/cbc:Note | /cn:CreditNote/cbc:Note'),
    asserts: [
      fatal('BR-CL-08', '[BR-CL-08]-Invoiced note subject code shall be coded using UNCL4451', (n) => {
        const s = stringValue(n);
        const code = substringBeforeAfterHash(s);
        if (!s.includes('#') || [...code].length !== 3) return true;
        return NOTE_SUBJECTS_TEXT.includes(code);
      }),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1047,
    context: 'cac:PayeeParty',
    match: pattern('cac:PayeeParty'),
    asserts: [
      fatal(
        'BR-17',
        '[BR-17]-The Payee name (BT-59) shall be provided in the Invoice, if the Payee (BG-10) is different from the Seller (BG-4)',
        (n) => {
          const payee = el(n);
          const names = select(payee, 'cac:PartyName/cbc:Name').map(stringValue);
          if (names.length === 0) return false;
          const seller = select(payee.parent, 'cac:AccountingSupplierParty/cac:Party');
          const sellerNames = new Set(seller.flatMap((p) => select(p, 'cac:PartyName/cbc:Name')).map(stringValue));
          const sellerIds = new Set(seller.flatMap((p) => select(p, 'cac:PartyIdentification/cbc:ID')).map(stringValue));
          const ids = select(payee, 'cac:PartyIdentification/cbc:ID').map(stringValue);
          return !names.some((x) => sellerNames.has(x)) && !ids.some((x) => sellerIds.has(x));
        },
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1046,
    context: "cac:PaymentMeans[cbc:PaymentMeansCode='30' or cbc:PaymentMeansCode='58']/cac:PayeeFinancialAccount",
    match: pattern('cac:PaymentMeans/cac:PayeeFinancialAccount', (n) =>
      childrenNamed(elementOf(n).parent, 'cbc:PaymentMeansCode').some((c) => stringValue(c) === '30' || stringValue(c) === '58'),
    ),
    asserts: [
      fatal(
        'BR-50',
        '[BR-50]-A Payment account identifier (BT-84) shall be present if Credit transfer (BG-17) information is provided in the Invoice.',
        (n) => anyNonEmpty(el(n), 'cbc:ID'),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1045,
    context: 'cac:PaymentMeans',
    match: pattern('cac:PaymentMeans'),
    asserts: [
      fatal('BR-49', '[BR-49]-A Payment instruction (BG-16) shall specify the Payment means type code (BT-81).', (n) =>
        has(el(n), 'cbc:PaymentMeansCode'),
      ),
      fatal(
        'BR-61',
        '[BR-61]-If the Payment means type code (BT-81) means SEPA credit transfer, Local credit transfer or Non-SEPA international credit transfer, the Payment account identifier (BT-84) shall be present.',
        (n) => {
          const code = normalizedOne(el(n), 'cbc:PaymentMeansCode');
          if (code !== '30' && code !== '58') return true;
          return has(el(n), 'cac:PayeeFinancialAccount/cbc:ID');
        },
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1044,
    context: 'cac:BillingReference',
    match: pattern('cac:BillingReference'),
    asserts: [
      fatal('BR-55', '[BR-55]-Each Preceding Invoice reference (BG-3) shall contain a Preceding Invoice reference (BT-25).', (n) =>
        has(el(n), 'cac:InvoiceDocumentReference/cbc:ID'),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1043,
    context: 'cac:AccountingSupplierParty',
    match: pattern('cac:AccountingSupplierParty'),
    asserts: [
      fatal(
        'BR-CO-26',
        '[BR-CO-26]-In order for the buyer to automatically identify a supplier, the Seller identifier (BT-29), the Seller legal registration identifier (BT-30) and/or the Seller VAT identifier (BT-31) shall be present.',
        (n) =>
          vatCompanyId(el(n), 'cac:Party/cac:PartyTaxScheme') ||
          has(el(n), 'cac:Party/cac:PartyIdentification/cbc:ID') ||
          has(el(n), 'cac:Party/cac:PartyLegalEntity/cbc:CompanyID'),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1042,
    context: 'cac:AccountingSupplierParty/cac:Party/cbc:EndpointID',
    match: pattern('cac:AccountingSupplierParty/cac:Party/cbc:EndpointID'),
    asserts: [fatal('BR-62', '[BR-62]-The Seller electronic address (BT-34) shall have a Scheme identifier.', (n) => hasAttr(n, 'schemeID'))],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1041,
    context: 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress',
    match: pattern('cac:AccountingSupplierParty/cac:Party/cac:PostalAddress'),
    asserts: [fatal('BR-09', '[BR-09]-The Seller postal address (BG-5) shall contain a Seller country code (BT-40).', countryGiven)],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1040,
    context: 'cac:TaxRepresentativeParty',
    match: pattern('cac:TaxRepresentativeParty'),
    asserts: [
      fatal(
        'BR-18',
        '[BR-18]-The Seller tax representative name (BT-62) shall be provided in the Invoice, if the Seller (BG-4) has a Seller tax representative party (BG-11)',
        (n) => anyNonEmpty(el(n), 'cac:PartyName/cbc:Name'),
      ),
      fatal(
        'BR-19',
        '[BR-19]-The Seller tax representative postal address (BG-12) shall be provided in the Invoice, if the Seller (BG-4) has a Seller tax representative party (BG-11).',
        (n) => has(el(n), 'cac:PostalAddress'),
      ),
      fatal('BR-56', '[BR-56]-Each Seller tax representative party (BG-11) shall have a Seller tax representative VAT identifier (BT-63).', (n) =>
        vatCompanyId(el(n), 'cac:PartyTaxScheme'),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1039,
    context: 'cac:TaxRepresentativeParty/cac:PostalAddress',
    match: pattern('cac:TaxRepresentativeParty/cac:PostalAddress'),
    asserts: [
      fatal(
        'BR-20',
        '[BR-20]-The Seller tax representative postal address (BG-12) shall contain a Tax representative country code (BT-69), if the Seller (BG-4) has a Seller tax representative party (BG-11).',
        countryGiven,
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1036,
    context: "//cac:PartyTaxScheme[cac:TaxScheme/normalize-space(upper-case(cbc:ID))='VAT']",
    match: pattern('//cac:PartyTaxScheme', (n) => n.kind === 'element' && isVat(n)),
    asserts: [
      fatal(
        'BR-CO-09',
        '[BR-CO-09]-The Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) shall have a prefix in accordance with ISO code ISO 3166-1 alpha-2 by which the country of issue may be identified. Nevertheless, Greece may use the prefix ‘EL’.',
        // contains(list, substring(cbc:CompanyID, 1, 2)): a plain substring test, so '' or one letter passes.
        (n) => {
          const ids = select(el(n), 'cbc:CompanyID');
          if (ids.length > 1) throw new RangeError('more than one CompanyID');
          return VAT_ID_PREFIXES.includes([...stringValue(ids[0])].slice(0, 2).join(''));
        },
      ),
    ],
  }),
];
