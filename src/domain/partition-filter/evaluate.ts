/**
 * FiltruSQL in memory, with exactly the semantics of the compiled SQL (see compile.ts):
 * NULL reads as '', text compares by code point and case-sensitively, `like` ignores the
 * case of ASCII letters only, a number against `number` compares numerically when the
 * stored number is 1–18 digits and is false otherwise.
 */
import type { FilterNode, FilterValue, PartitionField, PartitionRow } from './ast.js';
import { MAX_NUMERIC_DIGITS } from './compile.js';

const DIGITS = new RegExp(`^[0-9]{1,${MAX_NUMERIC_DIGITS}}$`);

/** Compares by Unicode code point (= UTF-8 byte order = SQLite BINARY). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
}

const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** SQL LIKE over code points: `%` any run, `_` one character, everything else literal. */
export function likeMatches(text: string, pattern: string): boolean {
  const t = Array.from(asciiLower(text));
  const p = Array.from(asciiLower(pattern));
  let ti = 0;
  let pi = 0;
  let starP = -1;
  let starT = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '_' || (p[pi] !== '%' && p[pi] === t[ti]))) {
      ti++;
      pi++;
    } else if (pi < p.length && p[pi] === '%') {
      starP = pi++;
      starT = ti;
    } else if (starP >= 0) {
      pi = starP + 1;
      ti = ++starT;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '%') pi++;
  return pi === p.length;
}

function holds(op: string, c: number): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '<>':
      return c !== 0;
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    default:
      return c >= 0;
  }
}

function compare(field: PartitionField, stored: string, op: string, value: FilterValue): boolean {
  if (field === 'number' && typeof value === 'number') {
    if (!DIGITS.test(stored)) return false;
    const a = BigInt(stored);
    const b = BigInt(value);
    return holds(op, a === b ? 0 : a < b ? -1 : 1);
  }
  return holds(op, compareCodePoints(stored, String(value)));
}

export function evaluate(node: FilterNode, row: PartitionRow): boolean {
  const get = (f: PartitionField): string => row[f] ?? '';
  switch (node.kind) {
    case 'cmp':
      return compare(node.field, get(node.field), node.op, node.value);
    case 'in': {
      const any = node.values.some((v) => compare(node.field, get(node.field), '=', v));
      return node.negated ? !any : any;
    }
    case 'like': {
      const m = likeMatches(get(node.field), node.pattern);
      return node.negated ? !m : m;
    }
    case 'and':
      return evaluate(node.left, row) && evaluate(node.right, row);
    case 'or':
      return evaluate(node.left, row) || evaluate(node.right, row);
    case 'not':
      return !evaluate(node.expr, row);
  }
}
