/**
 * FiltruSQL — the partition filter (see ARCHITECTURE.md, "Words").
 *
 * The tree every filter text is parsed into. Field names are always the canonical ones
 * (`user`, `branch`, `number`, `series`); the manuals' names (`UserName`, `Subunitate`,
 * `NrDoc`, `Serie`) are aliases resolved by the parser.
 */

export const PARTITION_FIELDS = ['user', 'branch', 'number', 'series'] as const;
export type PartitionField = (typeof PARTITION_FIELDS)[number];

/** The manuals' field names, as aliases of the canonical ones. */
export const MANUAL_FIELD_NAMES: Readonly<Record<PartitionField, string>> = {
  user: 'UserName',
  branch: 'Subunitate',
  number: 'NrDoc',
  series: 'Serie',
};

/** A literal: a text value (quoted in the filter) or a non-negative integer (unquoted). */
export type FilterValue = string | number;

export type ComparisonOp = '=' | '<>' | '<' | '>' | '<=' | '>=';

export type FilterNode =
  | { kind: 'cmp'; field: PartitionField; op: ComparisonOp; value: FilterValue }
  | { kind: 'in'; field: PartitionField; values: FilterValue[]; negated: boolean }
  /** `pattern` is always text; `%` matches any run of characters, `_` exactly one. */
  | { kind: 'like'; field: PartitionField; pattern: string; negated: boolean }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; expr: FilterNode };

/** One invoice as the filter sees it. `null` behaves exactly like the empty text ''. */
export type PartitionRow = Record<PartitionField, string | null>;
