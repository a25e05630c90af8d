import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EfactError } from '../errors.js';
import {
  formatPartitionFilter,
  parseOptionalPartitionFilter,
  parsePartitionFilter,
  MAX_FILTER_DEPTH,
  type FilterNode,
} from './index.js';
import { filterTree } from './testing/arbitraries.js';

function errorOf(text: string): EfactError {
  try {
    parsePartitionFilter(text);
  } catch (e) {
    expect(e).toBeInstanceOf(EfactError);
    expect((e as EfactError).code).toBe('INVALID_REQUEST');
    return e as EfactError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe('parsePartitionFilter: the manuals\' examples', () => {
  it('Subunitate like ‘Iasi’', () => {
    expect(parsePartitionFilter('Subunitate like ‘Iasi’')).toEqual({ kind: 'like', field: 'branch', pattern: 'Iasi', negated: false });
  });
  it('Subunitate=’Iasi’ (opened with a closing quote)', () => {
    expect(parsePartitionFilter('Subunitate=’Iasi’')).toEqual({ kind: 'cmp', field: 'branch', op: '=', value: 'Iasi' });
  });
  it('NrDoc=12', () => {
    expect(parsePartitionFilter('NrDoc=12')).toEqual({ kind: 'cmp', field: 'number', op: '=', value: 12 });
  });
  it("ARCHITECTURE's example: branch = 'Iasi' and series like 'F%'", () => {
    expect(parsePartitionFilter("branch = 'Iasi' and series like 'F%'")).toEqual({
      kind: 'and',
      left: { kind: 'cmp', field: 'branch', op: '=', value: 'Iasi' },
      right: { kind: 'like', field: 'series', pattern: 'F%', negated: false },
    });
  });
});

describe('parsePartitionFilter: syntax', () => {
  it('field names and keywords are case-insensitive; aliases map to canonical fields', () => {
    expect(parsePartitionFilter("USERNAME = 'ana' AND serie <> 'X' Or NRDOC >= 3")).toEqual(
      parsePartitionFilter("user = 'ana' and series <> 'X' or number >= 3"),
    );
    expect(parsePartitionFilter("SubUnitate='a'")).toEqual({ kind: 'cmp', field: 'branch', op: '=', value: 'a' });
  });
  it('!= is read as <>; all comparison operators', () => {
    expect(parsePartitionFilter("user != 'a'")).toEqual(parsePartitionFilter("user <> 'a'"));
    for (const op of ['=', '<>', '<', '>', '<=', '>='] as const) {
      expect(parsePartitionFilter(`number${op}7`)).toEqual({ kind: 'cmp', field: 'number', op, value: 7 });
    }
  });
  it("'' inside a string is one quote; typographic quotes inside ASCII strings are literal", () => {
    expect(parsePartitionFilter("user = 'O''Brien'")).toEqual({ kind: 'cmp', field: 'user', op: '=', value: "O'Brien" });
    expect(parsePartitionFilter("user = ''''")).toEqual({ kind: 'cmp', field: 'user', op: '=', value: "'" });
    expect(parsePartitionFilter("user = ''")).toEqual({ kind: 'cmp', field: 'user', op: '=', value: '' });
    expect(parsePartitionFilter("user = 'a’b'")).toEqual({ kind: 'cmp', field: 'user', op: '=', value: 'a’b' });
    expect(parsePartitionFilter("user = ‘it's’")).toEqual({ kind: 'cmp', field: 'user', op: '=', value: "it's" });
  });
  it('precedence: not > and > or, left-associative', () => {
    const a = { kind: 'cmp', field: 'user', op: '=', value: 'a' } as const;
    const b = { kind: 'cmp', field: 'user', op: '=', value: 'b' } as const;
    const c = { kind: 'cmp', field: 'user', op: '=', value: 'c' } as const;
    expect(parsePartitionFilter("user='a' or user='b' and user='c'")).toEqual({ kind: 'or', left: a, right: { kind: 'and', left: b, right: c } });
    expect(parsePartitionFilter("user='a' and user='b' or user='c'")).toEqual({ kind: 'or', left: { kind: 'and', left: a, right: b }, right: c });
    expect(parsePartitionFilter("not user='a' and user='b'")).toEqual({ kind: 'and', left: { kind: 'not', expr: a }, right: b });
    expect(parsePartitionFilter("user='a' or user='b' or user='c'")).toEqual({ kind: 'or', left: { kind: 'or', left: a, right: b }, right: c });
  });
  it('parentheses override precedence', () => {
    expect(parsePartitionFilter("(user='a' or user='b') and not (user='c')")).toEqual({
      kind: 'and',
      left: { kind: 'or', left: { kind: 'cmp', field: 'user', op: '=', value: 'a' }, right: { kind: 'cmp', field: 'user', op: '=', value: 'b' } },
      right: { kind: 'not', expr: { kind: 'cmp', field: 'user', op: '=', value: 'c' } },
    });
    expect(parsePartitionFilter("((((user='a'))))")).toEqual({ kind: 'cmp', field: 'user', op: '=', value: 'a' });
  });
  it('in lists, not in, not like, mixed values', () => {
    expect(parsePartitionFilter("Serie in ('A', ‘B’, 3)")).toEqual({ kind: 'in', field: 'series', values: ['A', 'B', 3], negated: false });
    expect(parsePartitionFilter('NrDoc NOT IN (1,2)')).toEqual({ kind: 'in', field: 'number', values: [1, 2], negated: true });
    expect(parsePartitionFilter("branch not like 'B%'")).toEqual({ kind: 'like', field: 'branch', pattern: 'B%', negated: true });
    expect(parsePartitionFilter('NrDoc like 12')).toEqual({ kind: 'like', field: 'number', pattern: '12', negated: false });
  });
  it('numbers: leading zeros, no signs, no fractions, no overflow', () => {
    expect(parsePartitionFilter('NrDoc=0012')).toEqual({ kind: 'cmp', field: 'number', op: '=', value: 12 });
    expect(parsePartitionFilter(`NrDoc=${Number.MAX_SAFE_INTEGER}`)).toMatchObject({ value: Number.MAX_SAFE_INTEGER });
  });
  it('empty text: an error for parsePartitionFilter, null (no filter) for parseOptionalPartitionFilter', () => {
    expect(errorOf('').message).toBe('partition filter, column 1: the filter is empty');
    expect(errorOf('  \t\n').message).toBe('partition filter, column 1: the filter is empty');
    expect(parseOptionalPartitionFilter('')).toBeNull();
    expect(parseOptionalPartitionFilter('   ')).toBeNull();
    expect(parseOptionalPartitionFilter(null)).toBeNull();
    expect(parseOptionalPartitionFilter(undefined)).toBeNull();
    expect(parseOptionalPartitionFilter('NrDoc=1')).toEqual({ kind: 'cmp', field: 'number', op: '=', value: 1 });
    expect(() => parseOptionalPartitionFilter('NrDoc=')).toThrow(EfactError);
  });
});

describe('parsePartitionFilter: errors name the problem and its column', () => {
  const cases: Array<[string, string]> = [
    ["Subunitate = ", "partition filter, column 14: expected a value after '=' but found end of text"],
    ["branch = 'Iasi' and", 'partition filter, column 20: expected a field name'],
    ["Filiala = 'x'", "partition filter, column 1: unknown field 'Filiala'; allowed fields: user, branch, number, series (or the manuals' names UserName, Subunitate, NrDoc, Serie)"],
    ["user = 'abc", 'partition filter, column 8: unterminated string'],
    ['user = ‘abc', 'partition filter, column 8: unterminated string'],
    ["user == 'a'", "partition filter, column 6: unknown operator '=='"],
    ["user => 'a'", "partition filter, column 6: unknown operator '=>'"],
    ["user = 'a' 'b'", "partition filter, column 12: expected 'and', 'or' or end of text but found the text 'b'"],
    ["user = 'a')", "partition filter, column 11: expected 'and', 'or' or end of text but found ')' (no matching opening parenthesis)"],
    ["(user = 'a'", "partition filter, column 12: expected ')' to close the '(' at column 1 but found end of text"],
    ['user = Iasi', "partition filter, column 8: expected a value after '=' but found 'Iasi' (put text values in quotes: 'Iasi')"],
    ['user = "Iasi"', "partition filter, column 8: unexpected character '\"': put text values in single quotes"],
    ["user; DROP TABLE x", "partition filter, column 5: unexpected character ';'"],
    ["user 'a'", 'partition filter, column 6: expected an operator'],
    ["user not = 'a'", "partition filter, column 10: expected 'like' or 'in' after 'not' but found '='"],
    ["user in 'a'", "partition filter, column 9: expected '(' after 'in' but found the text 'a'"],
    ['user in ()', "partition filter, column 10: expected a value after '(' but found ')'"],
    ["user in ('a' 'b')", "partition filter, column 14: expected ',' or ')' in the 'in' list but found the text 'b'"],
    ["user in ('a',)", "partition filter, column 14: expected a value after ',' but found ')'"],
    ['NrDoc = 12abc', "partition filter, column 9: invalid number '12a'"],
    ['NrDoc = 1.5', "partition filter, column 9: invalid number '1.'"],
    ['NrDoc = -1', "partition filter, column 9: unexpected character '-'"],
    ['NrDoc = 99999999999999999999', "partition filter, column 9: number '99999999999999999999' is too large"],
    ["and = 'x'", "partition filter, column 1: expected a field name (user, branch, number, series (or the manuals' names UserName, Subunitate, NrDoc, Serie)) but found the keyword 'and'"],
    ["ș = 'x' or Σ = 1", "partition filter, column 1: unknown field 'ș'"],
    ["user = 'ș' or x = 1", "partition filter, column 15: unknown field 'x'"],
    ["user = '😀' or x = 1", "partition filter, column 15: unknown field 'x'"],
    ['user = \u0000', 'partition filter, column 8: unexpected character U+0000'],
  ];
  it.each(cases)('%j', (text, expected) => {
    const e = errorOf(text);
    expect(e.message.startsWith(expected)).toBe(true);
    expect(e.details?.column).toBe(Number(/column (\d+)/.exec(expected)![1]));
  });

  it('refuses nesting beyond the limit without overflowing the stack', () => {
    const deep = '('.repeat(MAX_FILTER_DEPTH + 1) + "user='a'" + ')'.repeat(MAX_FILTER_DEPTH + 1);
    expect(errorOf(deep).message).toContain('nested too deeply');
    expect(errorOf('not '.repeat(1000) + "user='a'").message).toContain('nested too deeply');
    const ok = '('.repeat(MAX_FILTER_DEPTH) + "user='a'" + ')'.repeat(MAX_FILTER_DEPTH);
    expect(parsePartitionFilter(ok)).toEqual({ kind: 'cmp', field: 'user', op: '=', value: 'a' });
  });
  it('refuses very long text', () => {
    expect(errorOf("user = '" + 'x'.repeat(20_000) + "'").message).toContain('longer than');
  });
});

describe('properties', () => {
  it('format then parse gives the same tree', () => {
    const tree = filterTree(fc.string({ unit: 'binary', maxLength: 8 }), fc.maxSafeNat());
    fc.assert(
      fc.property(tree, (node: FilterNode) => {
        expect(parsePartitionFilter(formatPartitionFilter(node))).toEqual(node);
      }),
      { numRuns: 500 },
    );
  });

  it('garbage never throws anything but EfactError(INVALID_REQUEST)', () => {
    const pieces = fc.constantFrom(
      'user', 'NrDoc', 'Subunitate', 'and', 'OR', 'not', 'like', 'in', '(', ')', ',', '=', '<>', '!=', '<', '>=', '!', '=>',
      "'", "''", '‘', '’', '"', ' ', '12', '-', ';', '--', '%', '_', '\\', '\u0000', 'x', 'ș', '😀', '\uD800',
    );
    const garbage = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.array(pieces, { maxLength: 30 }).map((a) => a.join('')),
      fc.array(pieces, { maxLength: 30 }).map((a) => a.join(' ')),
    );
    fc.assert(
      fc.property(garbage, (text) => {
        try {
          const node = parsePartitionFilter(text);
          // Whatever parses must print and re-parse to itself.
          expect(parsePartitionFilter(formatPartitionFilter(node))).toEqual(node);
        } catch (e) {
          if (!(e instanceof EfactError) || e.code !== 'INVALID_REQUEST') throw e;
          expect(e.message).toMatch(/^partition filter, column \d+: /);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
