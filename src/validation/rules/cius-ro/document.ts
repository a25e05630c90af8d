/** CIUS-RO rules on the document as a whole (BR-RO-001…). */
import { rule } from '../../registry.js';
import { anyEquals, elementOf } from '../../model/navigate.js';
import { RO_ROOT } from '../contexts.js';
import { RO_CIUS_ID } from './values.js';

export default [
  rule({
    ...RO_ROOT,
    asserts: [
      {
        id: 'BR-RO-001',
        flag: 'fatal',
        message: `[BR-RO-001]-Identificatorul specificatie (BT-24) trebuie sa corespunda sintactic cu valoarea precizata in Specificatii tehnice și de utilizare a elementelor de baza ale facturii electronice - RO_CIUS - și a regulilor operationale specifice aplicabile la nivel national.
							#The specification identifier (BT-24) must syntactically correspond to the value specified in the Technical and Usage Specifications of the basic elements of the electronic invoice - RO_CIUS - and the specific operational rules applicable at national level(${RO_CIUS_ID}).`,
        test: (n) => anyEquals(elementOf(n), 'cbc:CustomizationID', RO_CIUS_ID),
      },
    ],
  }),
];
