/**
 * CIUS-RO decimal rules (BR-DEC-RO-*): at most two decimals on document amounts, and the lengths
 * of document level allowance/charge reasons and VAT exemption reasons that share their contexts.
 */
import { rule } from '../../registry.js';
import { pattern } from '../../context-pattern.js';
import type { XElement, XNode } from '../../model/document.js';
import { anywhere, attr, childrenNamed, elementOf, stringValue } from '../../model/navigate.js';
import type { AssertDef } from '../../types.js';
import { RO_LEGAL_MONETARY_TOTAL } from '../contexts.js';
import { RO_DOCUMENT_ALLOWANCE, RO_DOCUMENT_CHARGE } from './contexts.js';
import { DOCUMENT_ALLOWANCE_LENGTHS, DOCUMENT_CHARGE_LENGTHS, TAX_SUBTOTAL_LENGTHS } from './lengths.js';
import { atMostTwoDecimals, charLength, lengthAsserts } from './xpath.js';

/** [id, child element, message]: string-length(substring-after(child, '.')) <= 2 */
type DecimalRow = readonly [id: string, path: string, message: string];

function decimalAsserts(rows: readonly DecimalRow[]): AssertDef[] {
  return rows.map(([id, path, message]) => ({
    id,
    flag: 'fatal' as const,
    message,
    test: (n: XNode) => atMostTwoDecimals(elementOf(n), path),
  }));
}

const LEGAL_MONETARY_TOTAL: readonly DecimalRow[] = [
  ['BR-DEC-RO-09', 'cbc:LineExtensionAmount', '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Suma valorilor nete ale liniilor facturii (BT-106) este 2. #The allowed maximum number of decimals for the Sum of Invoice line net amount (BT-106) is 2.'],
  ['BR-DEC-RO-10', 'cbc:AllowanceTotalAmount', '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Suma deducerilor la nivelul documentului (BT-107) este 2. #The allowed maximum number of decimals for the Sum of allowances on document level(BT-107) is 2.'],
  ['BR-DEC-RO-11', 'cbc:ChargeTotalAmount', '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Suma taxelor suplimentare la nivelul documentului (BT-108) este 2. #The allowed maximum number of decimals for the Sum of charges on document level(BT-108) is 2.'],
  ['BR-DEC-RO-12', 'cbc:TaxExclusiveAmount', '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoarea totala a facturii fara TVA (BT-109) este 2. #The allowed maximum number of decimals for the Invoice total amount without VAT (BT-109) is 2.'],
  ['BR-DEC-RO-14', 'cbc:TaxInclusiveAmount', '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoarea totala a facturii cu TVA (BT-112) este 2. #The allowed maximum number of decimals for the Invoice total amount with VAT (BT-112) is 2.'],
  ['BR-DEC-RO-16', 'cbc:PrepaidAmount', '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Suma platita (BT-113) este 2. #The allowed maximum number of decimals for the Paid amount(BT-113) is 2.'],
  ['BR-DEC-RO-17', 'cbc:PayableRoundingAmount', '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoare de rotunjire (BT-114) este 2. #The allowed maximum number of decimals for the Rounding amount(BT-114) is 2.'],
  ['BR-DEC-RO-18', 'cbc:PayableAmount', '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Suma de plata (BT-115) este 2. #The allowed maximum number of decimals for the Amount due for payment (BT-115) is 2.'],
];

/**
 * BR-DEC-RO-13/15 as written: `//cac:TaxTotal/cbc:TaxAmount[@currencyID = cbc:DocumentCurrencyCode]`
 * looks for the currency code among the TaxAmount's own children, where there is none, so the
 * test is always true — and its context (priority 1008) loses the root to the 1018 rule anyway.
 */
function taxTotalDecimals(codeElement: string): (n: XNode) => boolean {
  return (n) => {
    const hits = anywhere(n, 'cac:TaxTotal')
      .flatMap((t: XElement) => childrenNamed(t, 'cbc:TaxAmount'))
      .filter((a) => childrenNamed(a, codeElement).some((c) => stringValue(c) === attr(a, 'currencyID')));
    if (hits.length === 0) return true;
    if (hits.length > 1) throw new TypeError('XPTY0004: several TaxAmount where one string is expected');
    const s = stringValue(hits[0]);
    const i = s.indexOf('.');
    return i < 0 || charLength(s.slice(i + 1)) <= 2;
  };
}

export default [
  rule({
    ...RO_DOCUMENT_ALLOWANCE,
    asserts: [
      ...decimalAsserts([
        ['BR-DEC-RO-01', 'cbc:Amount', '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoarea deducerilor la nivelul documentului (BT-92) este 2. #The allowed maximum number of decimals for the Document level allowance amount(BT-92) is 2.'],
        ['BR-DEC-RO-02', 'cbc:BaseAmount', '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoarea de baza a deducerii la nivelul documentului (BT-93) este 2. #The allowed maximum number of decimals for the Document level allowance base amount(BT-93) is 2.'],
      ]),
      ...lengthAsserts(DOCUMENT_ALLOWANCE_LENGTHS),
    ],
  }),
  rule({
    ...RO_DOCUMENT_CHARGE,
    asserts: [
      ...decimalAsserts([
        ['BR-DEC-RO-05', 'cbc:Amount', '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoarea taxelor suplimentare la nivelul documentului (BT-99) este 2. #The allowed maximum number of decimals for the Document level charge amount (BT-99) is 2.'],
        ['BR-DEC-RO-06', 'cbc:BaseAmount', '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoarea de baza a taxelor suplimentare la nivelul documentului (BT-100) este 2. #The allowed maximum number of decimals for the Document level charge base amount (BT-100) is 2.'],
      ]),
      ...lengthAsserts(DOCUMENT_CHARGE_LENGTHS),
    ],
  }),
  rule({ ...RO_LEGAL_MONETARY_TOTAL, asserts: decimalAsserts(LEGAL_MONETARY_TOTAL) }),
  rule({
    pattern: 'ROmodel',
    priority: 1008,
    context: '/ubl:Invoice | cac:CreditNote',
    match: pattern('/ubl:Invoice | cac:CreditNote'),
    asserts: [
      {
        id: 'BR-DEC-RO-13',
        flag: 'fatal',
        message:
          '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoarea totala a TVA a facturii (BT-110) este 2. #The allowed maximum number of decimals for the Invoice total VAT amount (BT-110) is 2.',
        test: taxTotalDecimals('cbc:DocumentCurrencyCode'),
      },
      {
        id: 'BR-DEC-RO-15',
        flag: 'fatal',
        message:
          '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoarea TVA totala a facturii în moneda de contabilizare (BT-111) este 2. #The allowed maximum number of decimals for the Invoice total VAT amount in accounting currency (BT-111) is 2.',
        test: taxTotalDecimals('cbc:TaxCurrencyCode'),
      },
    ],
  }),
  rule({
    pattern: 'ROmodel',
    priority: 1007,
    context: 'cac:TaxTotal/cac:TaxSubtotal',
    match: pattern('cac:TaxTotal/cac:TaxSubtotal'),
    asserts: decimalAsserts([
      ['BR-DEC-RO-1009', 'cbc:TaxableAmount', '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Baza de calcul pentru categoria de TVA (BT-116) este 2. #The allowed maximum number of decimals for the VAT category taxable amount (BT-116) is 2.'],
      ['BR-DEC-RO-1010', 'cbc:TaxAmount', '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoarea TVA pentru fiecare categorie de TVA (BT-117) este 2. #The allowed maximum number of decimals for the VAT category tax amount (BT-117) is 2.'],
    ]),
  }),
  // Same nodes as the 1007 rule, which wins: BR-RO-L1019 never fires in ANAF's validator.
  rule({
    pattern: 'ROmodel',
    priority: 1000,
    context: '/ubl:Invoice/cac:TaxTotal/cac:TaxSubtotal | /ubl:CreditNote/cac:TaxTotal/cac:TaxSubtotal',
    match: pattern('/ubl:Invoice/cac:TaxTotal/cac:TaxSubtotal | /ubl:CreditNote/cac:TaxTotal/cac:TaxSubtotal'),
    asserts: lengthAsserts(TAX_SUBTOTAL_LENGTHS),
  }),
];
