/**
 * CIUS-RO date formats (BR-RO-DT001…006): each date element must be exactly YYYY-MM-DD and a real
 * date. One Schematron rule per element name, so a table: [priority, element, id, message].
 * The message shows the element as written and its value (`<name/> = '<value-of select="."/>'`).
 */
import { rule } from '../../registry.js';
import { pattern } from '../../context-pattern.js';
import type { XNode } from '../../model/document.js';
import { stringValue } from '../../model/navigate.js';
import type { RuleDef } from '../../types.js';
import { charLength } from './xpath.js';

const DATE_ROWS: ReadonlyArray<readonly [priority: number, element: string, id: string, message: string]> = [
  [1028, 'cbc:IssueDate', 'BR-RO-DT001', "[BR-RO-DT001]-Un element de tip data (BT-2, BT-27) trebuie sa respecte formatul YYYY-MM-DD #A date (BT-2, BT-27) MUST be formatted YYYY-MM-DD. ({name(.)} = '{.}')"],
  [1027, 'cbc:TaxPointDate', 'BR-RO-DT002', "[BR-RO-DT002]-Un element de tip data (BT-7) trebuie sa respecte formatul YYYY-MM-DD #A date (BT-7) MUST be formatted YYYY-MM-DD. ({name(.)} = '{.}')"],
  [1026, 'cbc:DueDate', 'BR-RO-DT003', "[BR-RO-DT003]-Un element de tip data (BT-9) trebuie sa respecte formatul YYYY-MM-DD #A date (BT-9) MUST be formatted YYYY-MM-DD. ({name(.)} = '{.}')"],
  [1025, 'cbc:PaymentDueDate', 'BR-RO-DT003_CN', "[BR-RO-DT003-CN]-Un element de tip data (BT-9) trebuie sa respecte formatul YYYY-MM-DD #A date (BT-9) MUST be formatted YYYY-MM-DD. ({name(.)} = '{.}')"],
  [1024, 'cbc:ActualDeliveryDate', 'BR-RO-DT004', "[BR-RO-DT004]-Un element de tip data (BT-72) trebuie sa respecte formatul YYYY-MM-DD #A date (BT-73, BT-134) MUST be formatted YYYY-MM-DD. ({name(.)} = '{.}')"],
  [1023, 'cbc:StartDate', 'BR-RO-DT005', "[BR-RO-DT005]-Un element de tip data (BT-73, BT-134) trebuie sa respecte formatul YYYY-MM-DD #A date (BT-73, BT-134) MUST be formatted YYYY-MM-DD. ({name(.)} = '{.}')"],
  [1022, 'cbc:EndDate', 'BR-RO-DT006', "[BR-RO-DT006]-Un element de tip data (BT-74, BT-135) trebuie sa respecte formatul YYYY-MM-DD #A date (BT-74, BT-135) MUST be formatted YYYY-MM-DD. ({name(.)} = '{.}')"],
];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** xs:date castable, reduced to what a 10-character text can be: YYYY-MM-DD with a real day. */
export function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s.trim());
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

/** string-length(text()) = 10 and (string(.) castable as xs:date) */
function wellFormedDate(n: XNode): boolean {
  if (n.kind !== 'element') return false;
  return charLength(n.text) === 10 && isCalendarDate(stringValue(n));
}

export default DATE_ROWS.map(
  ([priority, element, id, message]): RuleDef =>
    rule({
      pattern: 'ROmodel',
      priority,
      context: element,
      match: pattern(element),
      asserts: [{ id, flag: 'fatal', message, test: wellFormedDate }],
    }),
);
