/** FiltruSQL, the partition filter: parse, print, compile to parameterised SQL, evaluate in memory. */
export * from './ast.js';
export {
  parsePartitionFilter,
  parseOptionalPartitionFilter,
  formatPartitionFilter,
  MAX_FILTER_LENGTH,
  MAX_FILTER_DEPTH,
} from './parse.js';
export {
  compileToSql,
  escapeLikePattern,
  sqlitePlaceholder,
  postgresPlaceholder,
  MAX_NUMERIC_DIGITS,
  type CompiledFilter,
  type PartitionColumns,
  type Placeholder,
} from './compile.js';
export { evaluate, likeMatches, compareCodePoints } from './evaluate.js';
