/** CIUS-RO decimal rules (BR-DEC-RO-*): at most two decimals on amounts. */
import { rule } from '../../registry.js';
import { elementOf, textOf } from '../../model/navigate.js';
import { decimalsAfterPoint } from '../../decimal.js';
import { RO_LEGAL_MONETARY_TOTAL } from '../contexts.js';

export default [
  rule({
    ...RO_LEGAL_MONETARY_TOTAL,
    asserts: [
      {
        id: 'BR-DEC-RO-09',
        flag: 'fatal',
        message: `[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Suma valorilor nete ale liniilor facturii (BT-106) este 2.
							#The allowed maximum number of decimals for the Sum of Invoice line net amount (BT-106) is 2.`,
        test: (n) => decimalsAfterPoint(textOf(elementOf(n), 'cbc:LineExtensionAmount')) <= 2,
      },
    ],
  }),
];
