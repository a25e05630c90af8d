/** UBL syntax restrictions of EN 16931 (UBL-CR-*): elements a UBL invoice should not carry. */
import { rule } from '../../registry.js';
import { exists } from '../../model/navigate.js';
import { SYNTAX_ROOT } from '../contexts.js';

export default [
  rule({
    ...SYNTAX_ROOT,
    asserts: [
      {
        id: 'UBL-CR-001',
        flag: 'warning',
        message: '[UBL-CR-001]-A UBL invoice should not include extensions',
        test: (n) => n.kind === 'element' && !exists(n, 'ext:UBLExtensions'),
      },
    ],
  }),
];
