import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { EfactError } from '../errors.js';
import {
  compileToSql,
  escapeLikePattern,
  evaluate,
  likeMatches,
  formatPartitionFilter,
  parsePartitionFilter,
  postgresPlaceholder,
  sqlitePlaceholder,
  type FilterNode,
  type FilterValue,
  type PartitionColumns,
  type PartitionRow,
} from './index.js';
import { filterTree } from './testing/arbitraries.js';

const COLUMNS: PartitionColumns = { user: 'user_name', branch: 'branch', number: 'invoice_number', series: 'series' };

/** The same tree with every value replaced by a fixed one of the same type. */
function blank(node: FilterNode): FilterNode {
  const b = (v: FilterValue): FilterValue => (typeof v === 'number' ? 0 : 'x');
  switch (node.kind) {
    case 'cmp':
      return { ...node, value: b(node.value) };
    case 'in':
      return { ...node, values: node.values.map(b) };
    case 'like':
      return { ...node, pattern: 'x' };
    case 'and':
    case 'or':
      return { ...node, left: blank(node.left), right: blank(node.right) };
    case 'not':
      return { kind: 'not', expr: blank(node.expr) };
  }
}

const db = new Database(':memory:');
afterAll(() => db.close());
db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, user_name TEXT, branch TEXT, invoice_number TEXT, series TEXT)');

function runSqlite(node: FilterNode, rows: PartitionRow[]): number[] {
  db.exec('DELETE FROM invoices');
  const insert = db.prepare('INSERT INTO invoices (id, user_name, branch, invoice_number, series) VALUES (?, ?, ?, ?, ?)');
  rows.forEach((r, i) => insert.run(i, r.user, r.branch, r.number, r.series));
  const { sql, params } = compileToSql(node, COLUMNS, sqlitePlaceholder);
  return db
    .prepare(`SELECT id FROM invoices WHERE ${sql} ORDER BY id`)
    .all(...params)
    .map((r) => (r as { id: number }).id);
}

describe('compileToSql', () => {
  it("compiles the manuals' examples with placeholders only", () => {
    expect(compileToSql(parsePartitionFilter('Subunitate=’Iasi’'), COLUMNS, sqlitePlaceholder)).toEqual({
      sql: "(COALESCE(branch, '') = ?)",
      params: ['Iasi'],
    });
    expect(compileToSql(parsePartitionFilter('Subunitate like ‘Ia%i’'), COLUMNS, sqlitePlaceholder)).toEqual({
      sql: "(lower(COALESCE(branch, '')) LIKE lower(?) ESCAPE '\\')",
      params: ['Ia%i'],
    });
    expect(compileToSql(parsePartitionFilter('NrDoc=12'), COLUMNS, sqlitePlaceholder)).toEqual({
      sql:
        "(CASE WHEN length(COALESCE(invoice_number, '')) BETWEEN 1 AND 18 AND ltrim(COALESCE(invoice_number, ''), '0123456789') = '' " +
        "THEN CAST(COALESCE(invoice_number, '') AS BIGINT) = ? ELSE FALSE END)",
      params: [12],
    });
  });

  it('numbers PostgreSQL placeholders $1..$n in order; in lists and not', () => {
    const { sql, params } = compileToSql(
      parsePartitionFilter("Serie in ('A', 7) and not UserName not like 'a\\b%'"),
      COLUMNS,
      postgresPlaceholder,
    );
    expect(sql).toBe(
      "(((COALESCE(series, '') = $1) OR (COALESCE(series, '') = $2)) AND (NOT (lower(COALESCE(user_name, '')) NOT LIKE lower($3) ESCAPE '\\')))",
    );
    expect(params).toEqual(['A', '7', 'a\\\\b%']);
  });

  it('refuses column names that are not plain identifiers (INVALID_CONFIG)', () => {
    const node = parsePartitionFilter("user='a'");
    for (const bad of ['user; DROP TABLE x', '', 'a b', "x'", '1col']) {
      try {
        compileToSql(node, { ...COLUMNS, user: bad }, sqlitePlaceholder);
        throw new Error('accepted ' + bad);
      } catch (e) {
        expect(e).toBeInstanceOf(EfactError);
        expect((e as EfactError).code).toBe('INVALID_CONFIG');
      }
    }
    expect(compileToSql(node, { ...COLUMNS, user: 'i.user_name' }, sqlitePlaceholder).sql).toBe("(COALESCE(i.user_name, '') = ?)");
  });

  const INJECTIONS = [
    "'; DROP TABLE invoices; --",
    "' OR 1=1 --",
    "x' OR '1'='1",
    'a\\',
    '\\%\\_',
    '100%',
    "O'Brien",
    '’; DELETE FROM invoices; --',
    'nul\u0000byte',
    ') OR (1=1',
    '$1',
    '?',
  ];

  it.each(INJECTIONS)('injection attempt %j is a literal value, found only in params', (evil) => {
    const quoted = `'${evil.replaceAll("'", "''")}'`;
    const node = parsePartitionFilter(
      `user = ${quoted} or branch like ${quoted} or series in (${quoted}, 'x') or not number <> ${quoted}`,
    );
    expect(node).toMatchObject({ kind: 'or', right: { kind: 'not', expr: { value: evil } } });
    const { sql, params } = compileToSql(node, COLUMNS, sqlitePlaceholder);
    expect(params).toEqual([evil, evil.replaceAll('\\', '\\\\'), evil, 'x', evil]);
    for (const word of ['DROP', 'DELETE', '1=1', "'1'", 'nul', 'Brien', '100%', '$1']) expect(sql).not.toContain(word);
    expect(sql).toBe(compileToSql(blank(node), COLUMNS, sqlitePlaceholder).sql);
    // And the database agrees: the literal matches itself and nothing else; the table survives.
    const rows: PartitionRow[] = [
      { user: evil, branch: 'zz', number: 'zz', series: 'zz' },
      { user: 'other', branch: 'zz', number: 'zz', series: 'zz' },
    ];
    const onlyUser = parsePartitionFilter(`user = ${quoted}`);
    expect(runSqlite(onlyUser, rows)).toEqual([0]);
    expect(db.prepare('SELECT count(*) AS n FROM invoices').get()).toEqual({ n: 2 });
  });

  it('property: the SQL text depends only on the shape of the tree, never on its values', () => {
    const tree = filterTree(fc.string({ unit: 'binary', maxLength: 12 }), fc.maxSafeNat());
    fc.assert(
      fc.property(tree, (node) => {
        const a = compileToSql(node, COLUMNS, postgresPlaceholder);
        const b = compileToSql(blank(node), COLUMNS, postgresPlaceholder);
        expect(a.sql).toBe(b.sql);
        expect(a.params.length).toBe(b.params.length);
        expect(a.sql.match(/\$\d+/g)?.length ?? 0).toBe(a.params.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('evaluate', () => {
  const row = (user: string | null, branch: string | null, number: string | null, series: string | null): PartitionRow => ({
    user,
    branch,
    number,
    series,
  });
  const ok = (filter: string, r: PartitionRow): boolean => evaluate(parsePartitionFilter(filter), r);

  it("the manuals' examples", () => {
    expect(ok('Subunitate like ‘Iasi’', row('ana', 'IASI', '1', 'F'))).toBe(true);
    expect(ok('Subunitate=’Iasi’', row('ana', 'IASI', '1', 'F'))).toBe(false);
    expect(ok('Subunitate=’Iasi’', row('ana', 'Iasi', '1', 'F'))).toBe(true);
    expect(ok('NrDoc=12', row('ana', 'Iasi', '0012', 'F'))).toBe(true);
    expect(ok('NrDoc=12', row('ana', 'Iasi', '12a', 'F'))).toBe(false);
  });
  it('numbers: numeric against number, text elsewhere; non-numeric stored numbers never compare', () => {
    expect(ok('NrDoc < 100', row('', '', '99', ''))).toBe(true);
    expect(ok("NrDoc < '100'", row('', '', '99', ''))).toBe(false); // text order
    expect(ok('NrDoc <> 12', row('', '', 'F-12', ''))).toBe(false);
    expect(ok('not NrDoc = 12', row('', '', 'F-12', ''))).toBe(true);
    expect(ok('Serie = 12', row('', '', '', '12'))).toBe(true);
    expect(ok('Serie = 12', row('', '', '', '012'))).toBe(false);
    expect(ok('NrDoc in (1, 2)', row('', '', '2', ''))).toBe(true);
    expect(ok('NrDoc not in (1, 2)', row('', '', '3', ''))).toBe(true);
  });
  it('null reads as empty text', () => {
    expect(ok("user = ''", row(null, null, null, null))).toBe(true);
    expect(ok("user like '%'", row(null, null, null, null))).toBe(true);
    expect(ok("not user = 'a'", row(null, null, null, null))).toBe(true);
  });
  it('like: % and _ are wildcards, backslash is literal, ASCII case ignored', () => {
    expect(ok("series like 'f_%'", row('', '', '', 'FA2024'))).toBe(true);
    expect(ok("series like 'f_'", row('', '', '', 'FA2024'))).toBe(false);
    expect(ok("series like 'a\\b'", row('', '', '', 'A\\B'))).toBe(true);
    expect(ok("series like 'ș'", row('', '', '', 'Ș'))).toBe(false);
  });
});

describe('property: evaluate agrees with the compiled SQL run in SQLite', () => {
  const alphabet = fc.constantFrom('a', 'A', 'b', 'B', 'ș', 'Ș', '1', '0', '2', '%', '_', '\\', "'", ' ', 'é', '😀');
  const text = fc.array(alphabet, { maxLength: 4 }).map((a) => a.join(''));
  const digits = fc.array(fc.constantFrom('0', '1', '2', '9'), { minLength: 1, maxLength: 3 }).map((a) => a.join(''));
  const cell = fc.oneof(text, digits, fc.constant(null), fc.constant('9999999999999999999'), fc.constant('000000000000000000001'));
  const rowArb = fc.record({ user: cell, branch: cell, number: cell, series: cell });
  const num = fc.oneof(fc.nat({ max: 300 }), fc.constant(Number.MAX_SAFE_INTEGER));

  it('over random tables and random filters', () => {
    fc.assert(
      fc.property(filterTree(text, num), fc.array(rowArb, { minLength: 1, maxLength: 12 }), (node, rows) => {
        const expected = rows.flatMap((r, i) => (evaluate(node, r) ? [i] : []));
        expect(runSqlite(node, rows), formatPartitionFilter(node)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('like on its own, with case variants and wildcards, over many pairs', () => {
    const small = fc.array(fc.constantFrom('a', 'A', 'ș', 'Ș', 'é', 'É', '%', '_', '\\', '😀'), { maxLength: 5 }).map((a) => a.join(''));
    const stmt = db.prepare("SELECT lower(?) LIKE lower(?) ESCAPE '\\' AS m");
    fc.assert(
      fc.property(small, small, (value, pattern) => {
        const { m } = stmt.get(value, escapeLikePattern(pattern)) as { m: number };
        expect(likeMatches(value, pattern), `${JSON.stringify(value)} like ${JSON.stringify(pattern)}`).toBe(m === 1);
      }),
      { numRuns: 3000 },
    );
  });
});
