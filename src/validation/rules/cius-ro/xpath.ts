/**
 * XPath idioms of RO16931-rules.sch, translated once: string-length(normalize-space(path)),
 * string-length(substring-after(path, '.')), path[boolean(normalize-space(.))], and the
 * ChargeIndicator predicates. Functions that take one string in XPath 2.0 fail on a sequence of
 * several nodes (XPTY0004, the XSLT stops); here they throw, which the runner counts as failed.
 */
import type { XElement, XNode } from '../../model/document.js';
import { attrNode, elementOf, normalizeSpace, select, stringValue } from '../../model/navigate.js';
import type { AssertDef } from '../../types.js';

/** Nodes on a relative child path; '.' is the node itself; a last step '@name' selects attributes. */
export function nodesAt(el: XElement, path: string): XNode[] {
  if (path === '.') return [el];
  const at = path.lastIndexOf('/@');
  if (path.startsWith('@')) {
    const a = attrNode(el, path.slice(1));
    return a ? [a] : [];
  }
  if (at < 0) return select(el, path);
  const name = path.slice(at + 2);
  const out: XNode[] = [];
  for (const e of select(el, path.slice(0, at))) {
    const a = attrNode(e, name);
    if (a) out.push(a);
  }
  return out;
}

/** The string value of a single-string argument: '' for no node, an error for several. */
export function singleString(el: XElement, path: string): string {
  const nodes = nodesAt(el, path);
  if (nodes.length > 1) throw new TypeError(`XPTY0004: ${nodes.length} items where one string is expected (${path})`);
  return nodes.length === 0 ? '' : stringValue(nodes[0]);
}

/** XPath string-length(): characters (code points), not UTF-16 units. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** string-length(normalize-space(path)) <= max */
export function withinLength(el: XElement, path: string, max: number): boolean {
  return charLength(normalizeSpace(singleString(el, path))) <= max;
}

/** string-length(substring-after(path, '.')) <= 2 */
export function atMostTwoDecimals(el: XElement, path: string): boolean {
  const s = singleString(el, path);
  const i = s.indexOf('.');
  return i < 0 || charLength(s.slice(i + 1)) <= 2;
}

/** path[boolean(normalize-space(.))] — some node on the path is not blank. */
export function someNotBlank(el: XElement, path: string): boolean {
  return nodesAt(el, path).some((n) => normalizeSpace(stringValue(n)) !== '');
}

/** normalize-space(path) */
export function normalized(el: XElement, path: string): string {
  return normalizeSpace(singleString(el, path));
}

/**
 * `cbc:ChargeIndicator = false()` / `= true()` in XPath 2.0: each ChargeIndicator is cast to
 * xs:boolean ('true'/'1', 'false'/'0', surrounding whitespace allowed). A value that does not
 * cast is an error in a match pattern, which XSLT treats as "does not match".
 */
export function chargeIndicatorIs(node: XNode, wanted: boolean): boolean {
  if (node.kind !== 'element') return false;
  let any = false;
  for (const c of select(node, 'cbc:ChargeIndicator')) {
    const v = stringValue(c).trim();
    const b = v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : null;
    if (b === null) return false;
    if (b === wanted) any = true;
  }
  return any;
}

/** One row of a length table: [assert id, path from the context node, maximum characters, ANAF's message]. */
export type LengthRow = readonly [id: string, path: string, max: number, message: string];

/** The asserts of a length table (all fatal, as ANAF flags them). */
export function lengthAsserts(rows: readonly LengthRow[]): AssertDef[] {
  return rows.map(([id, path, max, message]) => ({
    id,
    flag: 'fatal' as const,
    message,
    test: (n: XNode) => withinLength(elementOf(n), path, max),
  }));
}
