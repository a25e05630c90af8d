/**
 * UBL data type rules of EN 16931 (UBL-DT-01, -06, -07): amounts with at most two decimals,
 * binary objects with mime code and file name. Their contexts test name(), the document's own
 * prefix:local; for names ending in 'Amount' / 'BinaryObject' the local name gives the same answer.
 */
import { rule } from '../../registry.js';
import { pattern } from '../../context-pattern.js';
import type { XElement, XNode } from '../../model/document.js';
import { attrNode, child, elementOf, stringValue } from '../../model/navigate.js';
import { charLength } from '../cius-ro/xpath.js';

/** ancestor::cac:Price/cac:AllowanceCharge — some ancestor Price has an AllowanceCharge child. */
function underPriceWithAllowance(el: XElement): boolean {
  for (let a = el.parent; a !== null; a = a.parent) {
    if (a.local === 'Price' && a.clark === PRICE && child(a, 'cac:AllowanceCharge') !== undefined) return true;
  }
  return false;
}
const PRICE = '{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}Price';

const isAmount = (n: XNode): boolean =>
  n.kind === 'element' && n.local.endsWith('Amount') && !n.local.endsWith('PriceAmount') && !underPriceWithAllowance(n);
const isBinaryObject = (n: XNode): boolean => n.kind === 'element' && n.local.endsWith('BinaryObject');

export default [
  rule({
    pattern: 'UBL-syntax',
    priority: 1011,
    context: "//*[ends-with(name(), 'Amount') and not(ends-with(name(),'PriceAmount')) and not(ancestor::cac:Price/cac:AllowanceCharge)]",
    match: pattern('//*', isAmount),
    asserts: [
      {
        id: 'UBL-DT-01',
        flag: 'fatal',
        message: '[UBL-DT-01]-Amounts shall be decimal up to two fraction digits',
        // string-length(substring-after(., '.')) <= 2
        test: (n) => {
          const s = stringValue(n);
          const i = s.indexOf('.');
          return i < 0 || charLength(s.slice(i + 1)) <= 2;
        },
      },
    ],
  }),
  rule({
    pattern: 'UBL-syntax',
    priority: 1010,
    context: "//*[ends-with(name(), 'BinaryObject')]",
    match: pattern('//*', isBinaryObject),
    asserts: [
      {
        id: 'UBL-DT-06',
        flag: 'fatal',
        message: '[UBL-DT-06]-Binary object elements shall contain the mime code attribute',
        test: (n) => attrNode(elementOf(n), 'mimeCode') !== undefined,
      },
      {
        id: 'UBL-DT-07',
        flag: 'fatal',
        message: '[UBL-DT-07]-Binary object elements shall contain the file name attribute',
        test: (n) => attrNode(elementOf(n), 'filename') !== undefined,
      },
    ],
  }),
];
