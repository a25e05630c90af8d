/**
 * The XPath idioms the EN 16931 model and code-list rules repeat, written once: ChargeIndicator
 * booleans, "TaxScheme is VAT", VAT category codes, xs:decimal of at most one node, the VAT
 * breakdown sums (BR-S/Z/E/AE/K/G/O/L/M-08). Each follows the XPath 2.0 semantics the compiled
 * XSLT uses (general comparisons = "some node", string() of nothing = '').
 */
import type { XElement, XNode } from '../../model/document.js';
import { anywhere, childrenNamed, exists, normalizeSpace, select, stringValue, textOf } from '../../model/navigate.js';
import { decimalOf, toDecimal, type Dec } from '../../decimal.js';
import type { AssertDef } from '../../types.js';
import { toClark } from '../../model/namespaces.js';

const CHARGE_INDICATOR = toClark('cbc:ChargeIndicator');

/** xs:boolean cast of an untyped value; undefined when it is not a boolean (the XSLT would raise FORG0001). */
export function booleanOf(text: string): boolean | undefined {
  const t = text.trim();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
}

/**
 * `cbc:ChargeIndicator = true()|false()` on an AllowanceCharge (general comparison over its
 * ChargeIndicator children). A value that is not a boolean throws inside a test (dynamic error).
 */
export function chargeIs(ac: XElement, want: boolean): boolean {
  // Asked of every AllowanceCharge (thousands on a large invoice) by several rules: no list built.
  for (const ci of ac.children) {
    if (ci.clark !== CHARGE_INDICATOR) continue;
    const b = booleanOf(stringValue(ci));
    if (b === undefined) throw new RangeError(`ChargeIndicator '${stringValue(ci)}' is not a boolean`);
    if (b === want) return true;
  }
  return false;
}

/** The same inside a match pattern, where an error means "does not match". */
export function chargeMatches(ac: XElement | null, want: boolean): boolean {
  if (ac === null) return false;
  try {
    return chargeIs(ac, want);
  } catch {
    return false;
  }
}

// Categories are asked the same questions by dozens of rules: answers are kept per element.
const vatOf = new WeakMap<XElement, boolean>();
const codeOf = new WeakMap<XElement, string>();

/** `cac:TaxScheme/normalize-space(upper-case(cbc:ID))='VAT'` on a TaxCategory-like element. */
export function isVat(cat: XElement): boolean {
  let v = vatOf.get(cat);
  if (v === undefined) {
    v = childrenNamed(cat, 'cac:TaxScheme').some((s) => normalizeSpace(textOf(s, 'cbc:ID').toUpperCase()) === 'VAT');
    vatOf.set(cat, v);
  }
  return v;
}

/** `normalize-space(cbc:ID) = code` on a category (the first cbc:ID; UBL allows one). */
export function catIs(cat: XElement, code: string): boolean {
  let c = codeOf.get(cat);
  if (c === undefined) {
    c = normalizeSpace(textOf(cat, 'cbc:ID'));
    codeOf.set(cat, c);
  }
  return c === code;
}

const memos = new WeakMap<object, Map<string, unknown>>();

/** A value computed once per document (key names the question); a computation that throws is not kept. */
export function perDocument<T>(n: XNode, key: string, compute: () => T): T {
  const doc = (n.kind === 'attribute' ? n.parent : n).doc;
  let m = memos.get(doc);
  if (m === undefined) {
    m = new Map();
    memos.set(doc, m);
  }
  if (m.has(key)) return m.get(key) as T;
  const v = compute();
  m.set(key, v);
  return v;
}

/** `cbc:ID = code` without normalize-space (some rules compare the raw value). */
export function catRawIs(cat: XElement, code: string): boolean {
  return childrenNamed(cat, 'cbc:ID').some((i) => stringValue(i) === code);
}

/** xs:decimal(path) where the path yields at most one node; null for none; throws for several or a non-decimal. */
export function single(from: XElement, path: string): Dec | null {
  const nodes = select(from, path);
  if (nodes.length > 1) throw new RangeError(`${path}: more than one value`);
  return nodes.length === 0 ? null : decimalOf(nodes[0]);
}

/** xs:decimal(path) that must exist (an empty sequence in the comparison makes the test false). */
export function required(from: XElement, path: string): Dec | null {
  return single(from, path);
}

/** `string-length(substring-after(path, '.')) <= 2` (a sequence of several nodes is an error). */
export function atMostTwoDecimals(from: XElement, path: string): boolean {
  const nodes = select(from, path);
  if (nodes.length > 1) throw new RangeError(`${path}: more than one value`);
  const t = nodes.length === 0 ? '' : stringValue(nodes[0]);
  const i = t.indexOf('.');
  return i < 0 || t.length - i - 1 <= 2;
}

/** `exists(el/path)` shorthand for readability in long rules. */
export function has(el: XElement, path: string): boolean {
  return exists(el, path);
}

/** `//name` from any node of the document. */
export function everywhere(n: XNode, name: string): XElement[] {
  return anywhere(n, name);
}

/** XPath `round()` on a decimal: half towards positive infinity, to an integer. */
export function roundInt(d: Dec): Dec {
  return d.toDecimalPlaces(0, 7 /* ROUND_HALF_CEIL */);
}

/** An untyped value compared with a number: cast to xs:double (an error when it is not one). */
export function untypedNumber(text: string): number {
  const t = text.trim();
  if (t === 'NaN') return NaN;
  if (t === 'INF') return Infinity;
  if (t === '-INF') return -Infinity;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw new RangeError(`'${t}' is not a number`);
  return Number(t);
}

/** A general comparison `(path) > 0` etc. on untyped values: compared as doubles, some node satisfies. */
export function someNumber(el: XElement, path: string, ok: (v: number) => boolean): boolean {
  return select(el, path).some((x) => ok(untypedNumber(stringValue(x))));
}

/** `xs:decimal(cbc:Percent)` values of a category (none when absent). */
export function percentsOf(cat: XElement): Dec[] {
  return childrenNamed(cat, 'cbc:Percent').map((p) => decimalOf(p));
}

export { toDecimal };

/** An assert in one line: `fatal('BR-12', '[BR-12]-…', (n) => …)`. */
export function fatal(id: string, message: string, test: AssertDef['test']): AssertDef {
  return { id, flag: 'fatal', message, test };
}

export function warning(id: string, message: string, test: AssertDef['test']): AssertDef {
  return { id, flag: 'warning', message, test };
}
