/** EN 16931 calculation rules on the document totals (BR-CO-10, BR-CO-15) and their decimals (BR-DEC-09). */
import { rule } from '../../registry.js';
import { attr, childrenNamed, elementOf, select, stringValue, textOf } from '../../model/navigate.js';
import { decimalOf, decimalsAfterPoint, round2, sumOf } from '../../decimal.js';
import { MODEL_LEGAL_MONETARY_TOTAL, MODEL_ROOT } from '../contexts.js';
import type { XElement } from '../../model/document.js';

const el = elementOf;

/** xs:decimal(path) where the path must yield at most one node; null for none (empty sequence). */
function single(from: XElement, path: string) {
  const nodes = select(from, path);
  if (nodes.length > 1) throw new RangeError(`${path}: more than one value`);
  return nodes.length === 0 ? null : decimalOf(nodes[0]);
}

export default [
  rule({
    ...MODEL_LEGAL_MONETARY_TOTAL,
    asserts: [
      {
        id: 'BR-CO-10',
        flag: 'fatal',
        message: '[BR-CO-10]-Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131).',
        test: (n, env) => {
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
        },
      },
      {
        id: 'BR-DEC-09',
        flag: 'fatal',
        message: '[BR-DEC-09]-The allowed maximum number of decimals for the Sum of Invoice line net amount (BT-106) is 2.',
        test: (n) => decimalsAfterPoint(textOf(el(n), 'cbc:LineExtensionAmount')) <= 2,
      },
    ],
  }),
  rule({
    ...MODEL_ROOT,
    asserts: [
      {
        id: 'BR-CO-15',
        flag: 'fatal',
        message:
          '[BR-CO-15]-Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + Invoice total VAT amount (BT-110).',
        test: (n) => {
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
      },
    ],
  }),
];
