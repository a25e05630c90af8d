/** EN 16931 document totals (cac:LegalMonetaryTotal): BR-12…15, BR-CO-10…13/16, BR-DEC-09…18; and BR-CO-15 on the root. */
import { rule } from '../../registry.js';
import { attr, childrenNamed, elementOf, select, stringValue } from '../../model/navigate.js';
import { decimalOf, round2, sumOf, type Dec } from '../../decimal.js';
import { MODEL_LEGAL_MONETARY_TOTAL, MODEL_ROOT } from '../contexts.js';
import type { XElement } from '../../model/document.js';
import { atMostTwoDecimals, chargeIs, fatal, has, single } from './xpath.js';

const el = elementOf;

/** `xs:decimal(a) = b` where an empty operand makes the comparison false. */
function eq(a: Dec | null, b: Dec | null): boolean {
  return a !== null && b !== null && a.equals(b);
}

/** round(sum(../cac:AllowanceCharge[cbc:ChargeIndicator=want]/xs:decimal(cbc:Amount)) * 10 * 10) div 100, and whether any exist. */
function documentAllowanceCharges(total: XElement, want: boolean): { any: boolean; sum: Dec } {
  const acs = childrenNamed(total.parent, 'cac:AllowanceCharge').filter((ac) => chargeIs(ac, want));
  const amounts = acs.flatMap((ac) => {
    const a = childrenNamed(ac, 'cbc:Amount');
    if (a.length > 1) throw new RangeError('AllowanceCharge with more than one Amount');
    return a;
  });
  return { any: acs.length > 0, sum: round2(sumOf(amounts)) };
}

export default [
  rule({
    ...MODEL_LEGAL_MONETARY_TOTAL,
    asserts: [
      fatal('BR-12', '[BR-12]-An Invoice shall have the Sum of Invoice line net amount (BT-106).', (n) => has(el(n), 'cbc:LineExtensionAmount')),
      fatal('BR-13', '[BR-13]-An Invoice shall have the Invoice total amount without VAT (BT-109).', (n) => has(el(n), 'cbc:TaxExclusiveAmount')),
      fatal('BR-14', '[BR-14]-An Invoice shall have the Invoice total amount with VAT (BT-112).', (n) => has(el(n), 'cbc:TaxInclusiveAmount')),
      fatal('BR-15', '[BR-15]-An Invoice shall have the Amount due for payment (BT-115).', (n) => has(el(n), 'cbc:PayableAmount')),
      fatal('BR-CO-10', '[BR-CO-10]-Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131).', (n, env) => {
        const total = single(el(n), 'cbc:LineExtensionAmount');
        if (total === null) return false;
        const lines = [
          ...env.doc.byName('{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}InvoiceLine'),
          ...env.doc.byName('{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}CreditNoteLine'),
        ];
        const amounts = lines.flatMap((l) => {
          const a = childrenNamed(l, 'cbc:LineExtensionAmount');
          if (a.length > 1) throw new RangeError('line with more than one LineExtensionAmount');
          return a;
        });
        return total.equals(round2(sumOf(amounts)));
      }),
      fatal('BR-CO-11', '[BR-CO-11]-Sum of allowances on document level (BT-107) = Σ Document level allowance amount (BT-92).', (n) => {
        const { any, sum } = documentAllowanceCharges(el(n), false);
        return eq(single(el(n), 'cbc:AllowanceTotalAmount'), sum) || (!has(el(n), 'cbc:AllowanceTotalAmount') && !any);
      }),
      fatal('BR-CO-12', '[BR-CO-12]-Sum of charges on document level (BT-108) = Σ Document level charge amount (BT-99).', (n) => {
        const { any, sum } = documentAllowanceCharges(el(n), true);
        return eq(single(el(n), 'cbc:ChargeTotalAmount'), sum) || (!has(el(n), 'cbc:ChargeTotalAmount') && !any);
      }),
      fatal(
        'BR-CO-13',
        '[BR-CO-13]-Invoice total amount without VAT (BT-109) = Σ Invoice line net amount (BT-131) - Sum of allowances on document level (BT-107) + Sum of charges on document level (BT-108).',
        (n) => {
          const t = el(n);
          const hasCharge = has(t, 'cbc:ChargeTotalAmount');
          const hasAllowance = has(t, 'cbc:AllowanceTotalAmount');
          const exclusive = single(t, 'cbc:TaxExclusiveAmount');
          const lines = single(t, 'cbc:LineExtensionAmount');
          if (exclusive === null || lines === null) return false;
          let expected = lines;
          if (hasCharge) expected = expected.plus(single(t, 'cbc:ChargeTotalAmount')!);
          if (hasAllowance) expected = expected.minus(single(t, 'cbc:AllowanceTotalAmount')!);
          // Without charge and allowance the amounts are compared unrounded.
          return exclusive.equals(hasCharge || hasAllowance ? round2(expected) : expected);
        },
      ),
      fatal(
        'BR-CO-16',
        '[BR-CO-16]-Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) -Paid amount (BT-113) +Rounding amount (BT-114).',
        (n) => {
          const t = el(n);
          const payable = single(t, 'cbc:PayableAmount');
          const inclusive = single(t, 'cbc:TaxInclusiveAmount');
          if (payable === null || inclusive === null) return false;
          const prepaid = has(t, 'cbc:PrepaidAmount') ? single(t, 'cbc:PrepaidAmount') : null;
          const rounding = has(t, 'cbc:PayableRoundingAmount') ? single(t, 'cbc:PayableRoundingAmount') : null;
          if (prepaid !== null && rounding === null) return payable.equals(round2(inclusive.minus(prepaid)));
          if (prepaid === null && rounding === null) return payable.equals(inclusive);
          if (prepaid !== null && rounding !== null) return round2(payable.minus(rounding)).equals(round2(inclusive.minus(prepaid)));
          return round2(payable.minus(rounding!)).equals(inclusive);
        },
      ),
      fatal('BR-DEC-09', '[BR-DEC-09]-The allowed maximum number of decimals for the Sum of Invoice line net amount (BT-106) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:LineExtensionAmount'),
      ),
      fatal('BR-DEC-10', '[BR-DEC-10]-The allowed maximum number of decimals for the Sum of allowanced on document level (BT-107) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:AllowanceTotalAmount'),
      ),
      fatal('BR-DEC-11', '[BR-DEC-11]-The allowed maximum number of decimals for the Sum of charges on document level (BT-108) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:ChargeTotalAmount'),
      ),
      fatal('BR-DEC-12', '[BR-DEC-12]-The allowed maximum number of decimals for the Invoice total amount without VAT (BT-109) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:TaxExclusiveAmount'),
      ),
      fatal('BR-DEC-14', '[BR-DEC-14]-The allowed maximum number of decimals for the Invoice total amount with VAT (BT-112) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:TaxInclusiveAmount'),
      ),
      fatal('BR-DEC-16', '[BR-DEC-16]-The allowed maximum number of decimals for the Paid amount (BT-113) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:PrepaidAmount'),
      ),
      fatal('BR-DEC-17', '[BR-DEC-17]-The allowed maximum number of decimals for the Rounding amount (BT-114) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:PayableRoundingAmount'),
      ),
      fatal('BR-DEC-18', '[BR-DEC-18]-The allowed maximum number of decimals for the Amount due for payment (BT-115) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:PayableAmount'),
      ),
    ],
  }),
  rule({
    ...MODEL_ROOT,
    asserts: [
      fatal(
        'BR-CO-15',
        '[BR-CO-15]-Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + Invoice total VAT amount (BT-110).',
        (n) => {
          const root = el(n);
          for (const currencyEl of select(root, 'cbc:DocumentCurrencyCode')) {
            const currency = stringValue(currencyEl);
            const taxAmounts = select(root, 'cac:TaxTotal/cbc:TaxAmount').filter((t) => attr(t, 'currencyID') === currency);
            if (taxAmounts.length !== 1) return false;
            const exclusive = single(root, 'cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount');
            if (exclusive === null) return false;
            const expected = round2(exclusive.plus(decimalOf(taxAmounts[0])));
            const inclusive = select(root, 'cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount').map((x) => decimalOf(x));
            if (!inclusive.some((d) => d.equals(expected))) return false;
          }
          return true;
        },
      ),
    ],
  }),
];
