/** EN 16931 rules on the VAT breakdown: BR-CO-14 (cac:TaxTotal), BR-45…48, BR-CO-17, BR-DEC-19/20 (cac:TaxSubtotal). */
import { rule } from '../../registry.js';
import { pattern } from '../../context-pattern.js';
import { childrenNamed, elementOf, normalizeSpace, select, stringValue } from '../../model/navigate.js';
import type { XNode } from '../../model/document.js';
import { decimalOf, round2, sumOf, type Dec } from '../../decimal.js';
import { atMostTwoDecimals, fatal, has, isVat, roundInt, single } from './xpath.js';

const el = elementOf;
const vatCategories = (n: XNode) => select(el(n), 'cac:TaxCategory').filter(isVat);

/** BR-CO-17, the three alternatives of the assert in order. */
function taxAmountMatchesRate(n: XNode): boolean {
  const percents: Dec[] = vatCategories(n).flatMap((c) => childrenNamed(c, 'cbc:Percent').map((p) => decimalOf(p)));
  if (percents.length > 1) throw new RangeError('round() of several VAT rates');
  const amount = single(el(n), 'cbc:TaxAmount');
  const rate = percents[0];
  if (rate === undefined) return amount !== null && roundInt(amount).isZero();
  if (amount === null) return false;
  if (roundInt(rate).isZero()) return roundInt(amount).isZero();
  const taxable = single(el(n), 'cbc:TaxableAmount');
  if (taxable === null) return false;
  const expected = round2(taxable.abs().times(rate.div(100)));
  return amount.abs().minus(1).lessThan(expected) && amount.abs().plus(1).greaterThan(expected);
}

export default [
  rule({
    pattern: 'UBL-model',
    priority: 1038,
    context: '/ubl:Invoice/cac:TaxTotal | /cn:CreditNote/cac:TaxTotal',
    match: pattern('/ubl:Invoice/cac:TaxTotal | /cn:CreditNote/cac:TaxTotal'),
    asserts: [
      fatal('BR-CO-14', '[BR-CO-14]-Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117).', (n) => {
        const subtotals = select(el(n), 'cac:TaxSubtotal');
        if (subtotals.length === 0) return true;
        const total = single(el(n), 'cbc:TaxAmount');
        const amounts = subtotals.flatMap((s) => {
          const a = childrenNamed(s, 'cbc:TaxAmount');
          if (a.length > 1) throw new RangeError('TaxSubtotal with more than one TaxAmount');
          return a;
        });
        return total !== null && total.equals(round2(sumOf(amounts)));
      }),
    ],
  }),
  rule({
    pattern: 'UBL-model',
    priority: 1037,
    context: 'cac:TaxTotal/cac:TaxSubtotal',
    match: pattern('cac:TaxTotal/cac:TaxSubtotal'),
    asserts: [
      fatal('BR-45', '[BR-45]-Each VAT breakdown (BG-23) shall have a VAT category taxable amount (BT-116).', (n) => has(el(n), 'cbc:TaxableAmount')),
      fatal('BR-46', '[BR-46]-Each VAT breakdown (BG-23) shall have a VAT category tax amount (BT-117).', (n) => has(el(n), 'cbc:TaxAmount')),
      fatal('BR-47', '[BR-47]-Each VAT breakdown (BG-23) shall be defined through a VAT category code (BT-118).', (n) =>
        vatCategories(n).some((c) => has(c, 'cbc:ID')),
      ),
      fatal(
        'BR-48',
        '[BR-48]-Each VAT breakdown (BG-23) shall have a VAT category rate (BT-119), except if the Invoice is not subject to VAT.',
        (n) => {
          const cats = vatCategories(n);
          if (cats.some((c) => has(c, 'cbc:Percent'))) return true;
          return cats.some((c) => {
            const ids = childrenNamed(c, 'cbc:ID');
            if (ids.length > 1) throw new RangeError('more than one category ID');
            return normalizeSpace(stringValue(ids[0])) === 'O';
          });
        },
      ),
      fatal(
        'BR-CO-17',
        '[BR-CO-17]-VAT category tax amount (BT-117) = VAT category taxable amount (BT-116) x (VAT category rate (BT-119) / 100), rounded to two decimals.',
        taxAmountMatchesRate,
      ),
      fatal('BR-DEC-19', '[BR-DEC-19]-The allowed maximum number of decimals for the VAT category taxable amount (BT-116) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:TaxableAmount'),
      ),
      fatal('BR-DEC-20', '[BR-DEC-20]-The allowed maximum number of decimals for the VAT category tax amount (BT-117) is 2.', (n) =>
        atMostTwoDecimals(el(n), 'cbc:TaxAmount'),
      ),
    ],
  }),
];
