/**
 * FiltruSQL → SQL boolean expression with placeholders. Works for SQLite and PostgreSQL.
 *
 * Safety: the SQL text is built only from the column names given by code (checked to be
 * plain identifiers), fixed keywords, and placeholders. Every value from the filter goes
 * into `params`; the SQL text depends only on the shape of the tree, never on its values.
 *
 * Semantics (identical to `evaluate`):
 * - A NULL column is read as '' (COALESCE), so every predicate is true or false, never
 *   NULL, and `not` is plain negation.
 * - Text comparisons (`=`, `<>`, `<`, …, `in`) are case-sensitive and order by Unicode
 *   code point: SQLite's default BINARY collation. On PostgreSQL use a "C"-collated
 *   column/database for `<`/`>` to order the same way (equality agrees under any
 *   deterministic collation).
 * - `like` is case-insensitive for ASCII letters only: `lower(col) LIKE lower(?) ESCAPE '\'`.
 *   SQLite's lower() folds ASCII only; PostgreSQL's lower() under a non-C collation also
 *   folds non-ASCII letters (Ș/ș), where it is more lenient than `evaluate`.
 *   The user's `%` and `_` stay wildcards; a backslash in the pattern is escaped, so it
 *   matches itself. (PostgreSQL needs standard_conforming_strings = on, the default.)
 * - The invoice number is stored as text. A number literal against `number` compares
 *   numerically, and only when the stored number is 1–18 ASCII digits (leading zeros
 *   allowed: '0012' = 12); for any other stored text the predicate is false (so
 *   `number <> 12` is false for 'F-12', while `not number = 12` is true). The guard sits
 *   in a CASE so PostgreSQL never tries to CAST non-numeric text.
 *   A number literal against any other field, and a quoted value against `number`,
 *   compare as text (`series = 12` is `series = '12'`).
 * - `in (a, b)` is `= a or = b` under the rules above; `not in` is its negation.
 */
import { EfactError } from '../errors.js';
import type { FilterNode, FilterValue, PartitionField } from './ast.js';

export type PartitionColumns = Record<PartitionField, string>;
/** Gives the placeholder for the n-th parameter, n counted from 1 (n = params.length). */
export type Placeholder = (index: number) => string;

export const sqlitePlaceholder: Placeholder = () => '?';
export const postgresPlaceholder: Placeholder = (n) => `$${n}`;

export interface CompiledFilter {
  sql: string;
  params: Array<string | number>;
}

/** Longest invoice number (digits) compared numerically; fits a signed 64-bit integer. */
export const MAX_NUMERIC_DIGITS = 18;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** Escapes a LIKE pattern for `ESCAPE '\'`: only the backslash; `%` and `_` stay wildcards. */
export function escapeLikePattern(pattern: string): string {
  return pattern.replaceAll('\\', '\\\\');
}

export function compileToSql(node: FilterNode, columns: PartitionColumns, placeholder: Placeholder): CompiledFilter {
  for (const [field, col] of Object.entries(columns)) {
    if (typeof col !== 'string' || !IDENTIFIER.test(col)) {
      throw new EfactError('INVALID_CONFIG', `partition filter: column for '${field}' is not a plain SQL identifier`, {
        details: { field },
      });
    }
  }
  const params: Array<string | number> = [];
  const param = (v: string | number): string => {
    params.push(v);
    return placeholder(params.length);
  };
  const col = (field: PartitionField): string => {
    const c = columns[field];
    if (c === undefined) throw new EfactError('INVALID_CONFIG', `partition filter: no column given for '${field}'`);
    return `COALESCE(${c}, '')`;
  };
  const compare = (field: PartitionField, op: string, value: FilterValue): string => {
    if (field === 'number' && typeof value === 'number') {
      const c = col(field);
      return (
        `(CASE WHEN length(${c}) BETWEEN 1 AND ${MAX_NUMERIC_DIGITS} AND ltrim(${c}, '0123456789') = '' ` +
        `THEN CAST(${c} AS BIGINT) ${op} ${param(value)} ELSE FALSE END)`
      );
    }
    return `(${col(field)} ${op} ${param(String(value))})`;
  };
  const walk = (n: FilterNode): string => {
    switch (n.kind) {
      case 'cmp':
        return compare(n.field, n.op, n.value);
      case 'in': {
        const alts = n.values.map((v) => compare(n.field, '=', v)).join(' OR ');
        return n.negated ? `(NOT (${alts}))` : `(${alts})`;
      }
      case 'like':
        return `(lower(${col(n.field)}) ${n.negated ? 'NOT LIKE' : 'LIKE'} lower(${param(escapeLikePattern(n.pattern))}) ESCAPE '\\')`;
      case 'and':
        return `(${walk(n.left)} AND ${walk(n.right)})`;
      case 'or':
        return `(${walk(n.left)} OR ${walk(n.right)})`;
      case 'not':
        return `(NOT ${walk(n.expr)})`;
    }
  };
  return { sql: walk(node), params };
}
