/**
 * Decimal arithmetic as the EN 16931 Schematron does it (xs:decimal, never float64: 0.1 + 0.2
 * must equal 0.3 or BR-CO-10/BR-S-08 fail falsely).
 */
import { Decimal } from 'decimal.js';
import type { XNode } from './model/document.js';
import { stringValue } from './model/navigate.js';

// Enough precision for any invoice amount; XPath rounding is half towards +∞.
const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_CEIL, toExpPos: 9e15, toExpNeg: -9e15 });
export type Dec = InstanceType<typeof D>;
export const ZERO: Dec = new D(0);

const XS_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** xs:decimal(text): the lexical form XPath accepts (surrounding whitespace allowed, no exponent), else null. */
export function toDecimal(text: string | null | undefined): Dec | null {
  if (text === null || text === undefined) return null;
  const t = text.trim();
  if (!XS_DECIMAL.test(t)) return null;
  return new D(t);
}

// Amounts are read by several rules each (line sums, breakdown sums, decimals checks): parsed
// once per node. Decimals are immutable, so sharing one is safe; null marks "not a decimal".
const decimalsOf = new WeakMap<XNode, Dec | null>();

/** xs:decimal of a node's string value; throws like the XSLT's failed cast when not a decimal. */
export function decimalOf(node: XNode | null | undefined): Dec {
  let d: Dec | null | undefined;
  if (node) {
    d = decimalsOf.get(node);
    if (d === undefined) {
      d = toDecimal(stringValue(node));
      decimalsOf.set(node, d);
    }
  } else d = toDecimal(stringValue(node));
  if (d === null) throw new RangeError(`not an xs:decimal: '${stringValue(node)}'`);
  return d;
}

export function dec(value: string | number): Dec {
  return new D(value);
}

/** sum(nodes/xs:decimal(.)) — 0 for none; throws when one is not a decimal (as the XSLT does). */
export function sumOf(nodes: readonly XNode[]): Dec {
  let s: Dec = ZERO;
  for (const n of nodes) s = s.plus(decimalOf(n));
  return s;
}

/** XPath round(x * 10 * 10) div 100: two decimals, half towards positive infinity. */
export function round2(d: Dec): Dec {
  return d.times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_CEIL).div(100);
}

/** string-length(substring-after(text, '.')) — how BR-DEC rules count decimals. */
export function decimalsAfterPoint(text: string): number {
  const i = text.indexOf('.');
  return i < 0 ? 0 : text.length - i - 1;
}

/**
 * XPath number(text) for general comparisons of untyped values (e.g. `. > 0`): NaN when not numeric.
 * Such comparisons are done in double precision by the XSLT too.
 */
export function xpathNumber(text: string): number {
  const t = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t) && !/^(-?INF|NaN)$/.test(t)) return NaN;
  return t === 'INF' ? Infinity : t === '-INF' ? -Infinity : Number(t);
}
