/**
 * FiltruSQL parser: tokenizer + recursive descent, and the matching pretty-printer.
 *
 * Grammar (keywords and field names are case-insensitive):
 *
 *   filter    := or EOF
 *   or        := and ('or' and)*                      -- left-associative
 *   and       := not ('and' not)*                     -- left-associative
 *   not       := 'not' not | '(' or ')' | predicate   -- precedence: not > and > or
 *   predicate := field cmpop value
 *              | field ['not'] 'like' value
 *              | field ['not'] 'in' '(' value (',' value)* ')'
 *   field     := user | branch | number | series | UserName | Subunitate | NrDoc | Serie
 *   cmpop     := '=' | '<>' | '!=' | '<' | '>' | '<=' | '>='   ('!=' is read as '<>')
 *   value     := string | integer
 *
 * Strings: '…' with '' standing for one quote inside; or the typographic quotes the
 * manuals print, ‘…’ and ’…’ — a string opened by ‘ or ’ ends at the next ‘ or ’ and
 * has no escapes. Integers: decimal digits only (no sign, no fraction), at most
 * Number.MAX_SAFE_INTEGER. A number given to `like` becomes its text.
 *
 * Empty (or whitespace-only) text is an error for `parsePartitionFilter`; callers for
 * which an empty setting means "no filter" use `parseOptionalPartitionFilter`, which
 * returns null then.
 *
 * Every error is EfactError('INVALID_REQUEST') with a message
 * `partition filter, column N: …` (N is 1-based, counted in Unicode characters) and
 * `details.column = N`.
 */
import { EfactError } from '../errors.js';
import {
  MANUAL_FIELD_NAMES,
  PARTITION_FIELDS,
  type ComparisonOp,
  type FilterNode,
  type FilterValue,
  type PartitionField,
} from './ast.js';

/** Longest filter text accepted (characters). */
export const MAX_FILTER_LENGTH = 10_000;
/** Deepest nesting of parentheses / `not` accepted. */
export const MAX_FILTER_DEPTH = 64;

type Token =
  | { type: 'ident'; text: string; pos: number }
  | { type: 'string'; value: string; pos: number }
  | { type: 'number'; value: number; pos: number }
  | { type: 'op'; op: ComparisonOp; text: string; pos: number }
  | { type: 'punct'; text: '(' | ')' | ','; pos: number }
  | { type: 'eof'; pos: number };

const OPERATORS: Record<string, ComparisonOp> = {
  '=': '=',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
};

const FIELD_BY_NAME = new Map<string, PartitionField>();
for (const f of PARTITION_FIELDS) {
  FIELD_BY_NAME.set(f.toLowerCase(), f);
  FIELD_BY_NAME.set(MANUAL_FIELD_NAMES[f].toLowerCase(), f);
}
const KEYWORDS = new Set(['and', 'or', 'not', 'like', 'in']);
const ALLOWED_FIELDS_TEXT =
  PARTITION_FIELDS.join(', ') +
  ' (or the manuals\' names ' +
  PARTITION_FIELDS.map((f) => MANUAL_FIELD_NAMES[f]).join(', ') +
  ')';

const OPEN_TYPO = new Set(['\u2018', '\u2019']);
const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}_]/u;

function fail(text: string, pos: number, message: string): never {
  const column = Array.from(text.slice(0, pos)).length + 1;
  return failAt(column, message);
}

function failAt(column: number, message: string): never {
  throw new EfactError('INVALID_REQUEST', `partition filter, column ${column}: ${message}`, {
    details: { column },
  });
}

function show(s: string): string {
  const short = Array.from(s).length > 30 ? Array.from(s).slice(0, 30).join('') + '…' : s;
  return `'${short}'`;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/u.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: 'punct', text: ch, pos: start });
      i++;
    } else if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) fail(text, start, 'unterminated string: the quote opened here is never closed');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ type: 'string', value, pos: start });
    } else if (OPEN_TYPO.has(ch)) {
      i++;
      let end = i;
      while (end < text.length && !OPEN_TYPO.has(text[end]!)) end++;
      if (end >= text.length) fail(text, start, 'unterminated string: the quote opened here is never closed');
      tokens.push({ type: 'string', value: text.slice(i, end), pos: start });
      i = end + 1;
    } else if (ch >= '0' && ch <= '9') {
      while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
      const next = text.codePointAt(i);
      if (next !== undefined && (IDENT_PART.test(String.fromCodePoint(next)) || text[i] === '.')) {
        fail(text, start, `invalid number ${show(text.slice(start, i + 1))}: only whole numbers are allowed; put text values in quotes`);
      }
      const digits = text.slice(start, i);
      const value = Number(digits);
      if (!Number.isSafeInteger(value)) fail(text, start, `number ${show(digits)} is too large`);
      tokens.push({ type: 'number', value, pos: start });
    } else if (ch === '<' || ch === '>' || ch === '=' || ch === '!') {
      while (i < text.length && '<>=!'.includes(text[i]!)) i++;
      const op = text.slice(start, i);
      const known = OPERATORS[op];
      if (known === undefined) {
        fail(text, start, `unknown operator ${show(op)}; allowed: =, <>, !=, <, >, <=, >=, like, not like, in, not in`);
      }
      tokens.push({ type: 'op', op: known, text: op, pos: start });
    } else {
      const cp = text.codePointAt(i)!;
      const c = String.fromCodePoint(cp);
      if (IDENT_START.test(c)) {
        i += c.length;
        for (;;) {
          const n = text.codePointAt(i);
          if (n === undefined) break;
          const nc = String.fromCodePoint(n);
          if (!IDENT_PART.test(nc)) break;
          i += nc.length;
        }
        tokens.push({ type: 'ident', text: text.slice(start, i), pos: start });
      } else if (c === '"') {
        fail(text, start, `unexpected character '"': put text values in single quotes, e.g. 'Iasi'`);
      } else {
        const printable = cp < 0x20 || cp === 0x7f ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : show(c);
        fail(text, start, `unexpected character ${printable}`);
      }
    }
  }
  tokens.push({ type: 'eof', pos: text.length });
  return tokens;
}

function describe(t: Token): string {
  switch (t.type) {
    case 'eof':
      return 'end of text';
    case 'ident':
      return show(t.text);
    case 'string':
      return `the text ${show(t.value)}`;
    case 'number':
      return `the number ${t.value}`;
    case 'op':
      return show(t.text);
    case 'punct':
      return show(t.text);
  }
}

function isKeyword(t: Token, kw: string): boolean {
  return t.type === 'ident' && t.text.toLowerCase() === kw;
}

class Parser {
  private index = 0;
  private depth = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.index++;
    return t;
  }

  private error(t: Token, message: string): never {
    return fail(this.text, t.pos, message);
  }

  parseFilter(): FilterNode {
    const node = this.parseOr();
    const t = this.peek();
    if (t.type !== 'eof') {
      const hint = t.type === 'punct' && t.text === ')' ? ' (no matching opening parenthesis)' : '';
      this.error(t, `expected 'and', 'or' or end of text but found ${describe(t)}${hint}`);
    }
    return node;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (isKeyword(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseNot();
    while (isKeyword(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_FILTER_DEPTH) this.error(t, `nested too deeply (at most ${MAX_FILTER_DEPTH} levels)`);
  }

  private parseNot(): FilterNode {
    const t = this.peek();
    if (isKeyword(t, 'not')) {
      this.next();
      this.enter(t);
      const expr = this.parseNot();
      this.depth--;
      return { kind: 'not', expr };
    }
    if (t.type === 'punct' && t.text === '(') {
      this.next();
      this.enter(t);
      const inner = this.parseOr();
      const close = this.peek();
      if (!(close.type === 'punct' && close.text === ')')) {
        this.error(close, `expected ')' to close the '(' at column ${Array.from(this.text.slice(0, t.pos)).length + 1} but found ${describe(close)}`);
      }
      this.next();
      this.depth--;
      return inner;
    }
    return this.parsePredicate();
  }

  private parseField(): PartitionField {
    const t = this.next();
    if (t.type !== 'ident') {
      this.error(t, `expected a field name (${ALLOWED_FIELDS_TEXT}) but found ${describe(t)}`);
    }
    const field = FIELD_BY_NAME.get(t.text.toLowerCase());
    if (field === undefined) {
      if (KEYWORDS.has(t.text.toLowerCase())) {
        this.error(t, `expected a field name (${ALLOWED_FIELDS_TEXT}) but found the keyword ${show(t.text)}`);
      }
      this.error(t, `unknown field ${show(t.text)}; allowed fields: ${ALLOWED_FIELDS_TEXT}`);
    }
    return field;
  }

  private parseValue(after: string): FilterValue {
    const t = this.next();
    if (t.type === 'string' || t.type === 'number') return t.value;
    const hint = t.type === 'ident' && !KEYWORDS.has(t.text.toLowerCase()) ? ` (put text values in quotes: '${t.text}')` : '';
    return this.error(t, `expected a value after ${after} but found ${describe(t)}${hint}`);
  }

  private parsePredicate(): FilterNode {
    const field = this.parseField();
    const t = this.next();
    if (t.type === 'op') {
      return { kind: 'cmp', field, op: t.op, value: this.parseValue(show(t.text)) };
    }
    let negated = false;
    let kw: Token = t;
    if (isKeyword(t, 'not')) {
      negated = true;
      kw = this.next();
      if (!isKeyword(kw, 'like') && !isKeyword(kw, 'in')) {
        this.error(kw, `expected 'like' or 'in' after 'not' but found ${describe(kw)}`);
      }
    }
    if (isKeyword(kw, 'like')) {
      const v = this.parseValue(negated ? "'not like'" : "'like'");
      return { kind: 'like', field, pattern: String(v), negated };
    }
    if (isKeyword(kw, 'in')) {
      const open = this.next();
      if (!(open.type === 'punct' && open.text === '(')) {
        this.error(open, `expected '(' after 'in' but found ${describe(open)}`);
      }
      const values: FilterValue[] = [this.parseValue("'('")];
      for (;;) {
        const sep = this.next();
        if (sep.type === 'punct' && sep.text === ')') break;
        if (sep.type === 'punct' && sep.text === ',') {
          values.push(this.parseValue("','"));
          continue;
        }
        this.error(sep, `expected ',' or ')' in the 'in' list but found ${describe(sep)}`);
      }
      return { kind: 'in', field, values, negated };
    }
    return this.error(
      kw,
      `expected an operator (=, <>, !=, <, >, <=, >=, like, not like, in, not in) after the field but found ${describe(kw)}`,
    );
  }
}

/** Parses a FiltruSQL text; throws EfactError('INVALID_REQUEST') on any mistake, including empty text. */
export function parsePartitionFilter(text: string): FilterNode {
  if (typeof text !== 'string') failAt(1, 'the filter must be text');
  if (text.length > MAX_FILTER_LENGTH) failAt(MAX_FILTER_LENGTH + 1, `the filter is longer than ${MAX_FILTER_LENGTH} characters`);
  if (text.trim() === '') failAt(1, 'the filter is empty');
  const tokens = tokenize(text);
  return new Parser(text, tokens).parseFilter();
}

/** Like parsePartitionFilter, but null/undefined/empty/whitespace-only text means "no filter" and gives null. */
export function parseOptionalPartitionFilter(text: string | null | undefined): FilterNode | null {
  if (text === null || text === undefined || text.trim() === '') return null;
  return parsePartitionFilter(text);
}

function formatValue(v: FilterValue): string {
  return typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`;
}

const PRECEDENCE: Record<FilterNode['kind'], number> = { or: 1, and: 2, not: 3, cmp: 4, in: 4, like: 4 };

/**
 * Prints a tree as canonical FiltruSQL (lower-case keywords, canonical field names,
 * ASCII quotes, as few parentheses as the grammar needs). parsePartitionFilter gives the
 * same tree back.
 */
export function formatPartitionFilter(node: FilterNode): string {
  const wrap = (child: FilterNode, min: number): string => {
    const s = formatPartitionFilter(child);
    return PRECEDENCE[child.kind] < min ? `(${s})` : s;
  };
  switch (node.kind) {
    case 'cmp':
      return `${node.field} ${node.op} ${formatValue(node.value)}`;
    case 'like':
      return `${node.field} ${node.negated ? 'not like' : 'like'} ${formatValue(node.pattern)}`;
    case 'in':
      return `${node.field} ${node.negated ? 'not in' : 'in'} (${node.values.map(formatValue).join(', ')})`;
    case 'not':
      return `not ${wrap(node.expr, PRECEDENCE.not)}`;
    case 'and':
    case 'or': {
      const p = PRECEDENCE[node.kind];
      // Left-associative: a same-precedence right child needs parentheses.
      return `${wrap(node.left, p)} ${node.kind} ${wrap(node.right, p + 1)}`;
    }
  }
}
