/** Random filter trees for the property tests (test code only; not part of the build). */
import fc from 'fast-check';
import { PARTITION_FIELDS, type ComparisonOp, type FilterNode, type FilterValue } from '../index.js';

export const OPS: ComparisonOp[] = ['=', '<>', '<', '>', '<=', '>='];

/** Random filter trees over the given value generators. */
export function filterTree(text: fc.Arbitrary<string>, num: fc.Arbitrary<number>): fc.Arbitrary<FilterNode> {
  const field = fc.constantFrom(...PARTITION_FIELDS);
  const value: fc.Arbitrary<FilterValue> = fc.oneof(text, num);
  const { node } = fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ kind: fc.constant('cmp' as const), field, op: fc.constantFrom(...OPS), value }),
      fc.record({ kind: fc.constant('in' as const), field, values: fc.array(value, { minLength: 1, maxLength: 3 }), negated: fc.boolean() }),
      fc.record({ kind: fc.constant('like' as const), field, pattern: text, negated: fc.boolean() }),
      fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('node'), right: tie('node') }),
      fc.record({ kind: fc.constant('not' as const), expr: tie('node') }),
    ),
  }));
  return node;
}
