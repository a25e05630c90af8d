/**
 * Code-list rules BR-CL-03…26 (pattern Codesmodel) as ANAF's bundle 1.0.9 has them, BR-CL-03 and
 * BR-CL-23 in ANAF's rewritten form (the whole document's @currencyID / @unitCode). Every rule is
 * "the trimmed value is one code of the list" (see inList); the lists are data in lists.ts.
 */
import { rule } from '../../registry.js';
import { pattern } from '../../context-pattern.js';
import { attr, childrenNamed, elementOf, normalizeSpace, stringValue } from '../../model/navigate.js';
import type { XElement, XNode } from '../../model/document.js';
import { NS } from '../../model/namespaces.js';
import type { RuleDef } from '../../types.js';
import { chargeMatches } from '../en16931-model/xpath.js';
import {
  CEF_EAS,
  ISO_3166_ALPHA2,
  ISO_4217,
  ISO_6523_ICD,
  UNCL_5305,
  UNECE_REC20_REC21,
  UNTDID_1153,
  UNTDID_4461,
  UNTDID_5189,
  UNTDID_7143,
  UNTDID_7161,
  VATEX,
  inList,
} from './lists.js';

const UNTDID_2005_TAX_POINT = new Set(['3', '35', '432']);
const MIME_TYPES = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.spreadsheet',
]);

/** ancestor::cac:AccountingSupplierParty or ancestor::cac:PayeeParty */
function sepaAllowedUnder(n: XNode): boolean {
  for (let el = n.parent; el !== null; el = el.parent) {
    if (el.ns === NS.cac && (el.local === 'AccountingSupplierParty' || el.local === 'PayeeParty')) return true;
  }
  return false;
}

const hasAttr = (name: string) => (n: XNode) => n.kind === 'element' && attr(n, name) !== undefined;

/** One Codesmodel rule with one assert: the value (node text or an attribute) is in the list. */
function listRule(
  priority: number,
  context: string,
  id: string,
  message: string,
  list: ReadonlySet<string>,
  value: (n: XNode) => string,
  where?: (n: XNode) => boolean,
): RuleDef {
  return rule({
    pattern: 'Codesmodel',
    priority,
    context,
    match: pattern(withoutPredicates(context), where),
    asserts: [{ id, flag: 'fatal', message, test: (n) => inList(list, value(n)) }],
  });
}

/** The .sch context minus its predicates (these are the `where` functions). */
function withoutPredicates(context: string): string {
  return context.replace(/\[[^\]]*\]/g, '');
}

const text = (n: XNode) => stringValue(n);
const schemeID = (n: XNode) => attr(elementOf(n), 'schemeID') ?? '';

/** `X[cbc:DocumentTypeCode = '130']/cbc:ID[@schemeID]` */
function invoicedObjectId(n: XNode): boolean {
  if (n.kind !== 'element' || attr(n, 'schemeID') === undefined || n.parent === null) return false;
  return childrenNamed(n.parent, 'cbc:DocumentTypeCode').some((c) => stringValue(c) === '130');
}

const chargeParent = (want: boolean) => (n: XNode) => n.kind === 'element' && chargeMatches(n.parent as XElement | null, want);

export default [
  listRule(1020, '//@currencyID', 'BR-CL-03', '[BR-CL-03]-currencyID MUST be coded using ISO code list 4217 alpha-3', ISO_4217, text),
  listRule(
    1019,
    'cbc:DocumentCurrencyCode',
    'BR-CL-04',
    '[BR-CL-04]-Invoice currency code MUST be coded using ISO code list 4217 alpha-3',
    ISO_4217,
    text,
  ),
  listRule(1018, 'cbc:TaxCurrencyCode', 'BR-CL-05', '[BR-CL-05]-Tax currency code MUST be coded using ISO code list 4217 alpha-3', ISO_4217, text),
  listRule(
    1017,
    'cac:InvoicePeriod/cbc:DescriptionCode',
    'BR-CL-06',
    '[BR-CL-06]-Value added tax point date code MUST be coded using a restriction of UNTDID 2005.',
    UNTDID_2005_TAX_POINT,
    text,
  ),
  listRule(
    1016,
    "cac:AdditionalDocumentReference[cbc:DocumentTypeCode = '130']/cbc:ID[@schemeID] | cac:DocumentReference[cbc:DocumentTypeCode = '130']/cbc:ID[@schemeID]",
    'BR-CL-07',
    '[BR-CL-07]-Object identifier identification scheme identifier MUST be coded using a restriction of UNTDID 1153.',
    UNTDID_1153,
    schemeID,
    invoicedObjectId,
  ),
  rule({
    pattern: 'Codesmodel',
    priority: 1015,
    context: 'cac:PartyIdentification/cbc:ID[@schemeID]',
    match: pattern('cac:PartyIdentification/cbc:ID', hasAttr('schemeID')),
    asserts: [
      {
        id: 'BR-CL-10',
        flag: 'fatal',
        message: '[BR-CL-10]-Any identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list.',
        // ANAF's bundle also accepts SEPA (creditor identifiers) for the seller and the payee.
        test: (n) => inList(ISO_6523_ICD, schemeID(n)) || (normalizeSpace(schemeID(n)) === 'SEPA' && sepaAllowedUnder(n)),
      },
    ],
  }),
  listRule(
    1014,
    'cac:PartyLegalEntity/cbc:CompanyID[@schemeID]',
    'BR-CL-11',
    '[BR-CL-11]-Any registration identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list.',
    ISO_6523_ICD,
    schemeID,
    hasAttr('schemeID'),
  ),
  listRule(
    1013,
    'cac:CommodityClassification/cbc:ItemClassificationCode[@listID]',
    'BR-CL-13',
    '[BR-CL-13]-Item classification identifier identification scheme identifier MUST be coded using one of the UNTDID 7143 list.',
    UNTDID_7143,
    (n) => attr(elementOf(n), 'listID') ?? '',
    hasAttr('listID'),
  ),
  listRule(
    1012,
    'cac:Country/cbc:IdentificationCode',
    'BR-CL-14',
    '[BR-CL-14]-Country codes in an invoice MUST be coded using ISO code list 3166-1',
    ISO_3166_ALPHA2,
    text,
  ),
  listRule(
    1011,
    'cac:OriginCountry/cbc:IdentificationCode',
    'BR-CL-15',
    '[BR-CL-15]-Country codes in an invoice MUST be coded using ISO code list 3166-1',
    ISO_3166_ALPHA2,
    text,
  ),
  listRule(
    1010,
    'cac:PaymentMeans/cbc:PaymentMeansCode',
    'BR-CL-16',
    '[BR-CL-16]-Payment means in an invoice MUST be coded using UNCL4461 code list',
    UNTDID_4461,
    text,
  ),
  listRule(1009, 'cac:TaxCategory/cbc:ID', 'BR-CL-17', '[BR-CL-17]-Invoice tax categories MUST be coded using UNCL5305 code list', UNCL_5305, text),
  listRule(
    1008,
    'cac:ClassifiedTaxCategory/cbc:ID',
    'BR-CL-18',
    '[BR-CL-18]-Invoice tax categories MUST be coded using UNCL5305 code list',
    UNCL_5305,
    text,
  ),
  listRule(
    1007,
    'cac:AllowanceCharge[cbc:ChargeIndicator = false()]/cbc:AllowanceChargeReasonCode',
    'BR-CL-19',
    '[BR-CL-19]-Coded allowance reasons MUST belong to the UNCL 5189 code list',
    UNTDID_5189,
    text,
    chargeParent(false),
  ),
  listRule(
    1006,
    'cac:AllowanceCharge[cbc:ChargeIndicator = true()]/cbc:AllowanceChargeReasonCode',
    'BR-CL-20',
    '[BR-CL-20]-Coded charge reasons MUST belong to the UNCL 7161 code list',
    UNTDID_7161,
    text,
    chargeParent(true),
  ),
  listRule(
    1005,
    'cac:StandardItemIdentification/cbc:ID[@schemeID]',
    'BR-CL-21',
    '[BR-CL-21]-Item standard identifier scheme identifier MUST belong to the ISO 6523 ICD code list',
    ISO_6523_ICD,
    schemeID,
    hasAttr('schemeID'),
  ),
  rule({
    pattern: 'Codesmodel',
    priority: 1004,
    context: 'cbc:TaxExemptionReasonCode',
    match: pattern('cbc:TaxExemptionReasonCode'),
    asserts: [
      {
        id: 'BR-CL-22',
        flag: 'fatal',
        message: '[BR-CL-22]-Tax exemption reason code identifier scheme identifier MUST belong to the CEF VATEX code list',
        // The space test uses the value as written, the lookup its upper-case form.
        test: (n) => {
          const v = stringValue(n);
          return !normalizeSpace(v).includes(' ') && inList(VATEX, v.toUpperCase());
        },
      },
    ],
  }),
  listRule(
    1003,
    '//@unitCode',
    'BR-CL-23',
    '[BR-CL-23]-Unit code MUST be coded according to the UN/ECE Recommendation 20 with Rec 21 extension',
    UNECE_REC20_REC21,
    text,
  ),
  rule({
    pattern: 'Codesmodel',
    priority: 1002,
    context: 'cbc:EmbeddedDocumentBinaryObject[@mimeCode]',
    match: pattern('cbc:EmbeddedDocumentBinaryObject', hasAttr('mimeCode')),
    asserts: [
      {
        id: 'BR-CL-24',
        flag: 'fatal',
        message: '[BR-CL-24]-For Mime code in attribute use MIMEMediaType.',
        // Exact string comparison: no trimming here.
        test: (n) => MIME_TYPES.has(attr(elementOf(n), 'mimeCode') ?? ''),
      },
    ],
  }),
  listRule(
    1001,
    'cbc:EndpointID[@schemeID]',
    'BR-CL-25',
    '[BR-CL-25]-Endpoint identifier scheme identifier MUST belong to the CEF EAS code list',
    CEF_EAS,
    schemeID,
    hasAttr('schemeID'),
  ),
  listRule(
    1000,
    'cac:DeliveryLocation/cbc:ID[@schemeID]',
    'BR-CL-26',
    '[BR-CL-26]-Delivery location identifier scheme identifier MUST belong to the ISO 6523 ICD code list',
    ISO_6523_ICD,
    schemeID,
    hasAttr('schemeID'),
  ),
];
