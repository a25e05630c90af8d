import type { ColumnDataType, ColumnDefinitionBuilder } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * The per-dialect type map migrations are written against, so each migration is written once.
 * Only the surrogate key and bytes differ; timestamps are `bigint` epoch milliseconds and JSON is
 * `text` everywhere (SQLite gives `bigint` INTEGER affinity, so it is a true 64-bit integer).
 */
export interface ColumnTypes {
  idType: ColumnDataType;
  /** Constraints of a surrogate key. */
  id(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** Raw bytes (the invoice XML as received). */
  bytes: ColumnDataType;
}

export const COLUMN_TYPES: Record<DialectName, ColumnTypes> = {
  sqlite: {
    // `integer primary key` aliases the rowid (no second index); AUTOINCREMENT guarantees an id
    // is never reused, since invoice ids are shown to people and kept by ERPs.
    idType: 'integer',
    id: (col) => col.primaryKey().autoIncrement(),
    bytes: 'blob',
  },
  postgres: {
    idType: 'bigint',
    id: (col) => col.primaryKey().generatedByDefaultAsIdentity(),
    bytes: 'bytea',
  },
};
