/**
 * EN 16931 rules on invoice lines and their parts (BR-21…30, BR-54, BR-64/65, BR-CO-04/19/20,
 * BR-DEC-23) and on allowances and charges, document and line level (BR-31…44, BR-CO-05…08,
 * BR-CO-21…24, BR-DEC-01…06, BR-DEC-24…28).
 */
import { rule } from '../../registry.js';
import { pattern } from '../../context-pattern.js';
import { anyNonEmpty, elementOf, select, stringValue } from '../../model/navigate.js';
import type { XElement, XNode } from '../../model/document.js';
import { atMostTwoDecimals, chargeMatches, fatal, has, isVat, someNumber } from './xpath.js';

const el = elementOf;
const isAllowanceChargeWith = (want: boolean) => (n: XNode) => n.kind === 'element' && chargeMatches(n, want);
const reasonGiven = (n: XNode) => has(el(n), 'cbc:AllowanceChargeReason') || has(el(n), 'cbc:AllowanceChargeReasonCode');
const vatCategoryId = (n: XNode) => select(el(n), 'cac:TaxCategory').filter(isVat).some((c) => has(c, 'cbc:ID'));

/** xs:date(path) of at most one node as a comparable key; null for none; throws when not a date. */
function dateOf(from: XElement, path: string): string | null {
  const nodes = select(from, path);
  if (nodes.length > 1) throw new RangeError(`${path}: more than one value`);
  if (nodes.length === 0) return null;
  const m = /^\s*(\d{4})-(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?\s*$/.exec(stringValue(nodes[0]));
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[3]) < 1 || Number(m[3]) > 31) {
    throw new RangeError(`not an xs:date: '${stringValue(nodes[0])}'`);
  }
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** BR-29 / BR-30: end >= start when both are given. */
function periodInOrder(n: XNode): boolean {
  const p = el(n);
  if (!has(p, 'cbc:StartDate') || !has(p, 'cbc:EndDate')) return true;
  return dateOf(p, 'cbc:EndDate')! >= dateOf(p, 'cbc:StartDate')!;
}

const DOC_ALLOWANCE = '/ubl:Invoice/cac:AllowanceCharge[cbc:ChargeIndicator = false()] | /cn:CreditNote/cac:AllowanceCharge[cbc:ChargeIndicator = false()]';
const DOC_CHARGE = '/ubl:Invoice/cac:AllowanceCharge[cbc:ChargeIndicator = true()] | /cn:CreditNote/cac:AllowanceCharge[cbc:ChargeIndicator = true()]';
const LINE_ALLOWANCE =
  '//cac:InvoiceLine/cac:AllowanceCharge[cbc:ChargeIndicator = false()] | //cac:CreditNoteLine/cac:AllowanceCharge[cbc:ChargeIndicator = false()]';
const LINE_CHARGE =
  '//cac:InvoiceLine/cac:AllowanceCharge[cbc:ChargeIndicator = true()] | //cac:CreditNoteLine/cac:AllowanceCharge[cbc:ChargeIndicator = true()]';

export default [
  rule({
    pattern: 'UBL-model',
    priority: 1060,
    context: DOC_ALLOWANCE,
    match: pattern('/ubl:Invoice/cac:AllowanceCharge | /cn:CreditNote/cac:AllowanceCharge', isAllowanceChargeWith(false)),
    asserts: [
      fatal('BR-31', '[BR-31]-Each Document level allowance (BG-20) shall have a Document level allowance amount (BT-92).', (n) => has(el(n), 'cbc:Amount')),
      fatal('BR-32', '[BR-32]-Each Document level allowance (BG-20) shall have a Document level allowance VAT category code (BT-95).', vatCategoryId),
      fatal(
        'BR-33',
        '[BR-33]-Each Document level allowance (BG-20) shall have a Document level allowance reason (BT-97) or a Document level allowance reason code (BT-98).',
        reasonGiven,
      ),
      fatal(
        'BR-CO-05',
        '[BR-CO-05]-Document level allowance reason code (BT-98) and Document level allowance reason (BT-97) shall indicate the same type of allowance.',
        () => true,
      ),
      fatal(
        'BR-CO-21',
        '[BR-CO-21]-Each Document level allowance (BG-20) shall contain a Document level allowance reason (BT-97) or a Document level allowance reason code (BT-98), or both.',
        reasonGiven,
      ),
      fatal('BR-DEC-01', '[BR-DEC-01]-The allowed maximum number of decimals for the Document level allowance amount (BT-92) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:Amount'),
      ),
      fatal('BR-DEC-02', '[BR-DEC-02]-The allowed maximum number of decimals for the Document level allowance base amount (BT-93) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:BaseAmount'),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1059,
    context: DOC_CHARGE,
    match: pattern('/ubl:Invoice/cac:AllowanceCharge | /cn:CreditNote/cac:AllowanceCharge', isAllowanceChargeWith(true)),
    asserts: [
      fatal('BR-36', '[BR-36]-Each Document level charge (BG-21) shall have a Document level charge amount (BT-99).', (n) => has(el(n), 'cbc:Amount')),
      fatal('BR-37', '[BR-37]-Each Document level charge (BG-21) shall have a Document level charge VAT category code (BT-102).', vatCategoryId),
      fatal(
        'BR-38',
        '[BR-38]-Each Document level charge (BG-21) shall have a Document level charge reason (BT-104) or a Document level charge reason code (BT-105).',
        reasonGiven,
      ),
      fatal(
        'BR-CO-06',
        '[BR-CO-06]-Document level charge reason code (BT-105) and Document level charge reason (BT-104) shall indicate the same type of charge.',
        () => true,
      ),
      fatal(
        'BR-CO-22',
        '[BR-CO-22]-Each Document level charge (BG-21) shall contain a Document level charge reason (BT-104) or a Document level charge reason code (BT-105), or both.',
        reasonGiven,
      ),
      fatal('BR-DEC-05', '[BR-DEC-05]-The allowed maximum number of decimals for the Document level charge amount (BT-99) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:Amount'),
      ),
      fatal('BR-DEC-06', '[BR-DEC-06]-The allowed maximum number of decimals for the Document level charge base amount (BT-100) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:BaseAmount'),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1056,
    context: 'cac:InvoiceLine | cac:CreditNoteLine',
    match: pattern('cac:InvoiceLine | cac:CreditNoteLine'),
    asserts: [
      fatal('BR-21', '[BR-21]-Each Invoice line (BG-25) shall have an Invoice line identifier (BT-126).', (n) => anyNonEmpty(el(n), 'cbc:ID')),
      fatal(
        'BR-22',
        '[BR-22]-Each Invoice line (BG-25) shall have an Invoiced quantity (BT-129).',
        (n) => has(el(n), 'cbc:InvoicedQuantity') || has(el(n), 'cbc:CreditedQuantity'),
      ),
      fatal('BR-23', '[BR-23]-An Invoice line (BG-25) shall have an Invoiced quantity unit of measure code (BT-130).', (n) =>
        [...select(el(n), 'cbc:InvoicedQuantity'), ...select(el(n), 'cbc:CreditedQuantity')].some((q) =>
          q.attrs.some((a) => a.local === 'unitCode' && a.ns === ''),
        ),
      ),
      fatal('BR-24', '[BR-24]-Each Invoice line (BG-25) shall have an Invoice line net amount (BT-131).', (n) => has(el(n), 'cbc:LineExtensionAmount')),
      fatal('BR-25', '[BR-25]-Each Invoice line (BG-25) shall contain the Item name (BT-153).', (n) => anyNonEmpty(el(n), 'cac:Item/cbc:Name')),
      fatal('BR-26', '[BR-26]-Each Invoice line (BG-25) shall contain the Item net price (BT-146).', (n) => has(el(n), 'cac:Price/cbc:PriceAmount')),
      fatal('BR-28', '[BR-28]-The Item gross price (BT-148) shall NOT be negative.', (n) => {
        const path = 'cac:Price/cac:AllowanceCharge/cbc:BaseAmount';
        return !has(el(n), path) || someNumber(el(n), path, (v) => v >= 0);
      }),
      fatal('BR-CO-04', '[BR-CO-04]-Each Invoice line (BG-25) shall be categorized with an Invoiced item VAT category code (BT-151).', (n) =>
        select(el(n), 'cac:Item/cac:ClassifiedTaxCategory').filter(isVat).some((c) => has(c, 'cbc:ID')),
      ),
      fatal('BR-DEC-23', '[BR-DEC-23]-The allowed maximum number of decimals for the Invoice line net amount (BT-131) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:LineExtensionAmount'),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1055,
    context: LINE_ALLOWANCE,
    match: pattern('//cac:InvoiceLine/cac:AllowanceCharge | //cac:CreditNoteLine/cac:AllowanceCharge', isAllowanceChargeWith(false)),
    asserts: [
      fatal('BR-41', '[BR-41]-Each Invoice line allowance (BG-27) shall have an Invoice line allowance amount (BT-136).', (n) => has(el(n), 'cbc:Amount')),
      fatal(
        'BR-42',
        '[BR-42]-Each Invoice line allowance (BG-27) shall have an Invoice line allowance reason (BT-139) or an Invoice line allowance reason code (BT-140).',
        reasonGiven,
      ),
      fatal(
        'BR-CO-07',
        '[BR-CO-07]-Invoice line allowance reason code (BT-140) and Invoice line allowance reason (BT-139) shall indicate the same type of allowance reason.',
        () => true,
      ),
      fatal(
        'BR-CO-23',
        '[BR-CO-23]-Each Invoice line allowance (BG-27) shall contain an Invoice line allowance reason (BT-139) or an Invoice line allowance reason code (BT-140), or both.',
        reasonGiven,
      ),
      fatal('BR-DEC-24', '[BR-DEC-24]-The allowed maximum number of decimals for the Invoice line allowance amount (BT-136) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:Amount'),
      ),
      fatal('BR-DEC-25', '[BR-DEC-25]-The allowed maximum number of decimals for the Invoice line allowance base amount (BT-137) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:BaseAmount'),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1054,
    context: LINE_CHARGE,
    match: pattern('//cac:InvoiceLine/cac:AllowanceCharge | //cac:CreditNoteLine/cac:AllowanceCharge', isAllowanceChargeWith(true)),
    asserts: [
      fatal('BR-43', '[BR-43]-Each Invoice line charge (BG-28) shall have an Invoice line charge amount (BT-141).', (n) => has(el(n), 'cbc:Amount')),
      fatal('BR-44', '[BR-44]-Each Invoice line charge shall have an Invoice line charge reason or an invoice line allowance reason code.', reasonGiven),
      fatal(
        'BR-CO-08',
        '[BR-CO-08]-Invoice line charge reason code (BT-145) and Invoice line charge reason (BT-144) shall indicate the same type of charge reason.',
        () => true,
      ),
      fatal(
        'BR-CO-24',
        '[BR-CO-24]-Each Invoice line charge (BG-28) shall contain an Invoice line charge reason (BT-144) or an Invoice line charge reason code (BT-145), or both.',
        reasonGiven,
      ),
      fatal('BR-DEC-27', '[BR-DEC-27]-The allowed maximum number of decimals for the Invoice line charge amount (BT-141) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:Amount'),
      ),
      fatal('BR-DEC-28', '[BR-DEC-28]-The allowed maximum number of decimals for the Invoice line charge base amount (BT-142) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:BaseAmount'),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1053,
    context: 'cac:InvoiceLine/cac:InvoicePeriod | cac:CreditNoteLine/cac:InvoicePeriod',
    match: pattern('cac:InvoiceLine/cac:InvoicePeriod | cac:CreditNoteLine/cac:InvoicePeriod'),
    asserts: [
      fatal(
        'BR-30',
        '[BR-30]-If both Invoice line period start date (BT-134) and Invoice line period end date (BT-135) are given then the Invoice line period end date (BT-135) shall be later or equal to the Invoice line period start date (BT-134).',
        periodInOrder,
      ),
      fatal(
        'BR-CO-20',
        '[BR-CO-20]-If Invoice line period (BG-26) is used, the Invoice line period start date (BT-134) or the Invoice line period end date (BT-135) shall be filled, or both.',
        (n) => has(el(n), 'cbc:StartDate') || has(el(n), 'cbc:EndDate'),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1052,
    context: 'cac:InvoicePeriod',
    match: pattern('cac:InvoicePeriod'),
    asserts: [
      fatal(
        'BR-29',
        '[BR-29]-If both Invoicing period start date (BT-73) and Invoicing period end date (BT-74) are given then the Invoicing period end date (BT-74) shall be later or equal to the Invoicing period start date (BT-73).',
        periodInOrder,
      ),
      fatal(
        'BR-CO-19',
        '[BR-CO-19]-If Invoicing period (BG-14) is used, the Invoicing period start date (BT-73) or the Invoicing period end date (BT-74) shall be filled, or both.',
        (n) => has(el(n), 'cbc:StartDate') || has(el(n), 'cbc:EndDate') || has(el(n), 'cbc:DescriptionCode'),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1051,
    context: '//cac:AdditionalItemProperty',
    match: pattern('//cac:AdditionalItemProperty'),
    asserts: [
      fatal(
        'BR-54',
        '[BR-54]-Each Item attribute (BG-32) shall contain an Item attribute name (BT-160) and an Item attribute value (BT-161).',
        (n) => has(el(n), 'cbc:Name') && has(el(n), 'cbc:Value'),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1050,
    context:
      'cac:InvoiceLine/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode | cac:CreditNoteLine/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode',
    match: pattern(
      'cac:InvoiceLine/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode | cac:CreditNoteLine/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode',
    ),
    asserts: [
      fatal('BR-65', '[BR-65]-The Item classification identifier (BT-158) shall have a Scheme identifier.', (n) =>
        el(n).attrs.some((a) => a.local === 'listID' && a.ns === ''),
      ),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1049,
    context: 'cac:InvoiceLine/cac:Item/cac:StandardItemIdentification/cbc:ID | cac:CreditNoteLine/cac:Item/cac:StandardItemIdentification/cbc:ID',
    match: pattern('cac:InvoiceLine/cac:Item/cac:StandardItemIdentification/cbc:ID | cac:CreditNoteLine/cac:Item/cac:StandardItemIdentification/cbc:ID'),
    asserts: [
      fatal('BR-64', '[BR-64]-The Item standard identifier (BT-157) shall have a Scheme identifier.', (n) =>
        el(n).attrs.some((a) => a.local === 'schemeID' && a.ns === ''),
      ),
    ],
  }),
];
