/**
 * UBL syntax cardinality rules of EN 16931 (UBL-SR-*): where UBL allows repetitions that the
 * semantic model does not. Counts are written as data where the rule is a plain
 * `count(path) <= max` ([id, path, max, message]); the others are spelled out.
 */
import { rule } from '../../registry.js';
import { pattern } from '../../context-pattern.js';
import type { XElement, XNode } from '../../model/document.js';
import { anywhere, attr, childrenNamed, elementOf, select, stringValue, upperCase } from '../../model/navigate.js';
import type { AssertDef } from '../../types.js';
import { SYNTAX_ROOT } from '../contexts.js';
import { chargeIndicatorIs, nodesAt } from '../cius-ro/xpath.js';

type CountRow = readonly [id: string, path: string, max: number, message: string];

function countAsserts(rows: readonly CountRow[]): AssertDef[] {
  return rows.map(([id, path, max, message]) => ({
    id,
    flag: 'fatal' as const,
    message,
    test: (n: XNode) => nodesAt(elementOf(n), path).length <= max,
  }));
}

const ROOT_COUNTS: readonly CountRow[] = [
  ['UBL-SR-01', 'cac:ContractDocumentReference/cbc:ID', 1, '[UBL-SR-01]-Contract identifier shall occur maximum once.'],
  ['UBL-SR-02', 'cac:ReceiptDocumentReference/cbc:ID', 1, '[UBL-SR-02]-Receive advice identifier shall occur maximum once'],
  ['UBL-SR-03', 'cac:DespatchDocumentReference/cbc:ID', 1, '[UBL-SR-03]-Despatch advice identifier shall occur maximum once'],
  ['UBL-SR-05', 'cac:PaymentTerms/cbc:Note', 1, '[UBL-SR-05]-Payment terms shall occur maximum once'],
  ['UBL-SR-08', 'cac:InvoicePeriod', 1, '[UBL-SR-08]-Invoice period shall occur maximum once'],
  ['UBL-SR-09', 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName', 1, '[UBL-SR-09]-Seller name shall occur maximum once'],
  ['UBL-SR-10', 'cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name', 1, '[UBL-SR-10]-Seller trader name shall occur maximum once'],
  ['UBL-SR-11', 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID', 1, '[UBL-SR-11]-Seller legal registration identifier shall occur maximum once'],
  ['UBL-SR-14', 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLegalForm', 1, '[UBL-SR-14]-Seller additional legal information shall occur maximum once'],
  ['UBL-SR-15', 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName', 1, '[UBL-SR-15]-Buyer name shall occur maximum once'],
  ['UBL-SR-16', 'cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID', 1, '[UBL-SR-16]-Buyer identifier shall occur maximum once'],
  ['UBL-SR-17', 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID', 1, '[UBL-SR-17]-Buyer legal registration identifier shall occur maximum once'],
  ['UBL-SR-24', 'cac:Delivery', 1, '[UBL-SR-24]-Deliver to information shall occur maximum once'],
  ['UBL-SR-39', 'cac:ProjectReference/cbc:ID', 1, '[UBL-SR-39]-Project reference shall occur maximum once.'],
  ['UBL-SR-40', 'cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name', 1, '[UBL-SR-40]-Buyer trade name shall occur maximum once'],
  ['UBL-SR-45', 'cac:PaymentMeans/cbc:PaymentDueDate', 1, '[UBL-SR-45]-Due Date shall occur maximum once'],
  ['UBL-SR-46', 'cac:PaymentMeans/cbc:PaymentMeansCode/@name', 1, '[UBL-SR-46]-Payment means text shall occur maximum once'],
  ['UBL-SR-49', 'cac:InvoicePeriod/cbc:DescriptionCode', 1, '[UBL-SR-49]-Value tax point date shall occur maximum once'],
];

/**
 * `Party/cac:PartyTaxScheme[cac:TaxScheme/upper-case(cbc:ID) = 'VAT' | != 'VAT']/cbc:CompanyID`:
 * upper-case() of a missing ID is '' (so "not VAT"), of several IDs an error.
 */
function taxSchemeCompanyIds(party: string, vat: boolean): (n: XNode) => number {
  return (n) => {
    let count = 0;
    for (const pts of select(elementOf(n), `${party}/cac:PartyTaxScheme`)) {
      const schemes = childrenNamed(pts, 'cac:TaxScheme').map((ts) => {
        const ids = childrenNamed(ts, 'cbc:ID');
        if (ids.length > 1) throw new TypeError('XPTY0004: upper-case() of several IDs');
        return upperCase(ids.length === 0 ? '' : stringValue(ids[0]));
      });
      if (schemes.some((s) => (vat ? s === 'VAT' : s !== 'VAT'))) count += childrenNamed(pts, 'cbc:CompanyID').length;
    }
    return count;
  };
}

/** count(//name[not(preceding::name/. = .)]) — how many distinct values. */
function distinctValues(n: XNode, name: string): number {
  return new Set(anywhere(n, name).map((e) => stringValue(e))).size;
}

/** (cac:PartyName/cbc:Name) != (../cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName): false when either is absent. */
function payeeDiffersFromSeller(payee: XElement): boolean {
  const names = select(payee, 'cac:PartyName/cbc:Name').map(stringValue);
  const sellers = payee.parent ? select(payee.parent, 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName').map(stringValue) : [];
  return names.some((a) => sellers.some((b) => a !== b));
}

const ALLOWANCE = 'cac:AllowanceCharge[cbc:ChargeIndicator = false()]';
const CHARGE = 'cac:AllowanceCharge[cbc:ChargeIndicator = true()]';

export default [
  rule({
    ...SYNTAX_ROOT,
    asserts: [
      ...countAsserts(ROOT_COUNTS),
      {
        id: 'UBL-SR-04',
        flag: 'fatal',
        message: '[UBL-SR-04]-Invoice object identifier shall occur maximum once',
        test: (n) =>
          childrenNamed(elementOf(n), 'cac:AdditionalDocumentReference')
            .filter((adr) => childrenNamed(adr, 'cbc:DocumentTypeCode').some((c) => stringValue(c) === '130'))
            .reduce((k, adr) => k + childrenNamed(adr, 'cbc:ID').length, 0) <= 1,
      },
      {
        id: 'UBL-SR-12',
        flag: 'fatal',
        message: '[UBL-SR-12]-Seller VAT identifier shall occur maximum once',
        test: (n) => taxSchemeCompanyIds('cac:AccountingSupplierParty/cac:Party', true)(n) <= 1,
      },
      {
        id: 'UBL-SR-13',
        flag: 'fatal',
        message: '[UBL-SR-13]-Seller tax registration shall occur maximum once',
        test: (n) => taxSchemeCompanyIds('cac:AccountingSupplierParty/cac:Party', false)(n) <= 1,
      },
      {
        id: 'UBL-SR-18',
        flag: 'fatal',
        message: '[UBL-SR-18]-Buyer VAT identifier shall occur maximum once',
        test: (n) => taxSchemeCompanyIds('cac:AccountingCustomerParty/cac:Party', true)(n) <= 1,
      },
      {
        id: 'UBL-SR-29',
        flag: 'fatal',
        message: '[UBL-SR-29]-Bank creditor reference shall occur maximum once',
        test: (n) =>
          anywhere(n, 'cac:PartyIdentification')
            .flatMap((pi) => childrenNamed(pi, 'cbc:ID'))
            .filter((id) => upperCase(attr(id, 'schemeID') ?? '') === 'SEPA').length <= 1,
      },
      {
        id: 'UBL-SR-44',
        flag: 'fatal',
        message: '[UBL-SR-44]-An Invoice may only have one unique PaymentID, but the PaymentID may be used for multiple PaymentMeans',
        test: (n) => distinctValues(n, 'cbc:PaymentID') <= 1,
      },
      {
        id: 'UBL-SR-47',
        flag: 'fatal',
        message: '[UBL-SR-47]-When there are more than one payment means code, they shall be equal',
        test: (n) => distinctValues(n, 'cbc:PaymentMeansCode') <= 1,
      },
    ],
  }),
  rule({
    pattern: 'UBL-syntax',
    priority: 1013,
    context: 'cac:AccountingSupplierParty/cac:Party',
    match: pattern('cac:AccountingSupplierParty/cac:Party'),
    asserts: countAsserts([['UBL-SR-42', 'cac:PartyTaxScheme', 2, '[UBL-SR-42]-Party tax scheme shall occur maximum twice in accounting supplier party']]),
  }),
  rule({
    pattern: 'UBL-syntax',
    priority: 1012,
    context: 'cac:AdditionalDocumentReference',
    match: pattern('cac:AdditionalDocumentReference'),
    asserts: [
      ...countAsserts([['UBL-SR-33', 'cbc:DocumentDescription', 1, '[UBL-SR-33]-Supporting document description shall occur maximum once']]),
      {
        id: 'UBL-SR-43',
        flag: 'fatal',
        message: '[UBL-SR-43]-Scheme identifier shall only be used for invoiced object (document type code with value 130)',
        // (DocumentTypeCode='130') or (local-name(/*) = 'CreditNote' and DocumentTypeCode='50') or (not(cbc:ID/@scheme) and not(cbc:DocumentTypeCode))
        // Note: @scheme, not @schemeID, as EN 16931 wrote it.
        test: (n) => {
          const adr = elementOf(n);
          const codes = childrenNamed(adr, 'cbc:DocumentTypeCode').map(stringValue);
          if (codes.includes('130')) return true;
          if (adr.doc.root.local === 'CreditNote' && codes.includes('50')) return true;
          return nodesAt(adr, 'cbc:ID/@scheme').length === 0 && codes.length === 0;
        },
      },
    ],
  }),
  rule({
    pattern: 'UBL-syntax',
    priority: 1009,
    context: 'cac:Delivery',
    match: pattern('cac:Delivery'),
    asserts: countAsserts([['UBL-SR-25', 'cac:DeliveryParty/cac:PartyName/cbc:Name', 1, '[UBL-SR-25]-Deliver to party name shall occur maximum once']]),
  }),
  rule({
    pattern: 'UBL-syntax',
    priority: 1008,
    context: ALLOWANCE,
    match: pattern('cac:AllowanceCharge', (n) => chargeIndicatorIs(n, false)),
    asserts: countAsserts([['UBL-SR-30', 'cbc:AllowanceChargeReason', 1, '[UBL-SR-30]-Document level allowance reason shall occur maximum once']]),
  }),
  rule({
    pattern: 'UBL-syntax',
    priority: 1007,
    context: CHARGE,
    match: pattern('cac:AllowanceCharge', (n) => chargeIndicatorIs(n, true)),
    asserts: countAsserts([['UBL-SR-31', 'cbc:AllowanceChargeReason', 1, '[UBL-SR-31]-Document level charge reason shall occur maximum once']]),
  }),
  rule({
    pattern: 'UBL-syntax',
    priority: 1005,
    context: 'cac:InvoiceLine | cac:CreditNoteLine',
    match: pattern('cac:InvoiceLine | cac:CreditNoteLine'),
    asserts: [
      ...countAsserts([
        ['UBL-SR-34', 'cbc:Note', 1, '[UBL-SR-34]-Invoice line note shall occur maximum once'],
        ['UBL-SR-35', 'cac:OrderLineReference/cbc:LineID', 1, '[UBL-SR-35]-Referenced purchase order line identifier shall occur maximum once'],
        ['UBL-SR-36', 'cac:InvoicePeriod', 1, '[UBL-SR-36]-Invoice line period shall occur maximum once'],
        ['UBL-SR-37', 'cac:Price/cac:AllowanceCharge/cbc:Amount', 1, '[UBL-SR-37]-Item price discount shall occur maximum once'],
      ]),
      {
        id: 'UBL-SR-48',
        flag: 'fatal',
        message: '[UBL-SR-48]-Invoice lines shall have one and only one classified tax category.',
        test: (n) => select(elementOf(n), 'cac:Item/cac:ClassifiedTaxCategory').length === 1,
      },
      ...countAsserts([['UBL-SR-50', 'cac:Item/cbc:Description', 1, '[UBL-SR-50]-Item description shall occur maximum once']]),
    ],
  }),
  rule({
    pattern: 'UBL-syntax',
    priority: 1004,
    context: 'cac:PayeeParty',
    match: pattern('cac:PayeeParty'),
    // Each "…if the Payee is different from the Seller" is an `and`: with no payee name (or no
    // seller name) to compare, the comparison is false and the assert fails, as in ANAF's XSLT.
    asserts: [
      {
        id: 'UBL-SR-19',
        flag: 'fatal',
        message: '[UBL-SR-19]-Payee name shall occur maximum once, if the Payee is different from the Seller',
        test: (n) => select(elementOf(n), 'cac:PartyName/cbc:Name').length <= 1 && payeeDiffersFromSeller(elementOf(n)),
      },
      {
        id: 'UBL-SR-20',
        flag: 'fatal',
        message: '[UBL-SR-20]-Payee identifier shall occur maximum once, if the Payee is different from the Seller',
        test: (n) =>
          select(elementOf(n), 'cac:PartyIdentification/cbc:ID').filter((id) => upperCase(attr(id, 'schemeID') ?? '') !== 'SEPA').length <= 1 &&
          payeeDiffersFromSeller(elementOf(n)),
      },
      {
        id: 'UBL-SR-21',
        flag: 'fatal',
        message: '[UBL-SR-21]-Payee legal registration identifier shall occur maximum once, if the Payee is different from the Seller',
        test: (n) => select(elementOf(n), 'cac:PartyLegalEntity/cbc:CompanyID').length <= 1 && payeeDiffersFromSeller(elementOf(n)),
      },
    ],
  }),
  rule({
    pattern: 'UBL-syntax',
    priority: 1003,
    context: 'cac:PaymentMeans',
    match: pattern('cac:PaymentMeans'),
    asserts: countAsserts([
      ['UBL-SR-26', 'cbc:PaymentID', 1, '[UBL-SR-26]-Payment reference shall occur maximum once'],
      ['UBL-SR-27', 'cbc:PaymentMeansCode', 1, '[UBL-SR-27]-Payment means text shall occur maximum once'],
      ['UBL-SR-28', 'cac:PaymentMandate/cbc:ID', 1, '[UBL-SR-28]-Mandate reference identifier shall occur maximum once'],
    ]),
  }),
  rule({
    pattern: 'UBL-syntax',
    priority: 1002,
    context: 'cac:BillingReference',
    match: pattern('cac:BillingReference'),
    asserts: [
      ...countAsserts([['UBL-SR-06', 'cac:InvoiceDocumentReference', 1, '[UBL-SR-06]-Preceding invoice reference shall occur maximum once']]),
      {
        id: 'UBL-SR-07',
        flag: 'fatal',
        message: '[UBL-SR-07]-If there is a preceding invoice reference, the preceding invoice number shall be present',
        test: (n) => select(elementOf(n), 'cac:InvoiceDocumentReference/cbc:ID').length > 0,
      },
    ],
  }),
  rule({
    pattern: 'UBL-syntax',
    priority: 1001,
    context: 'cac:TaxRepresentativeParty',
    match: pattern('cac:TaxRepresentativeParty'),
    asserts: countAsserts([
      ['UBL-SR-22', 'cac:Party/cac:PartyName/cbc:Name', 1, '[UBL-SR-22]-Seller tax representative name shall occur maximum once, if the Seller has a tax representative'],
      ['UBL-SR-23', 'cac:Party/cac:PartyTaxScheme/cbc:CompanyID', 1, '[UBL-SR-23]-Seller tax representative VAT identifier shall occur maximum once, if the Seller has a tax representative'],
    ]),
  }),
  rule({
    pattern: 'UBL-syntax',
    priority: 1000,
    context: 'cac:TaxSubtotal',
    match: pattern('cac:TaxSubtotal'),
    asserts: countAsserts([['UBL-SR-32', 'cac:TaxCategory/cbc:TaxExemptionReason', 1, '[UBL-SR-32]-VAT exemption reason text shall occur maximum once']]),
  }),
];
