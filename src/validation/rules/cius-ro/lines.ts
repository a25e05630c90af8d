/**
 * CIUS-RO rules on invoice lines: lengths (ROmodel 1013), item attributes (1012), line allowances
 * and charges (1005/1004). The second `cac:InvoiceLine | cac:CreditNoteLine` rule (1006,
 * BR-DEC-RO-23) is kept as ANAF has it and never fires: 1013 wins every line.
 */
import { rule } from '../../registry.js';
import { pattern } from '../../context-pattern.js';
import { elementOf } from '../../model/navigate.js';
import { ITEM_PROPERTY_LENGTHS, LINE_ALLOWANCE_LENGTHS, LINE_CHARGE_LENGTHS, LINE_LENGTHS } from './lengths.js';
import { RO_LINE, RO_LINE_ALLOWANCE, RO_LINE_CHARGE } from './contexts.js';
import { atMostTwoDecimals, lengthAsserts } from './xpath.js';

export default [
  rule({ ...RO_LINE, asserts: lengthAsserts(LINE_LENGTHS) }),
  rule({
    pattern: 'ROmodel',
    priority: 1012,
    context: '//cac:Item/cac:AdditionalItemProperty',
    match: pattern('//cac:Item/cac:AdditionalItemProperty'),
    asserts: [
      {
        id: 'BR-RO-A052',
        flag: 'fatal',
        message:
          '[BR-RO-A050]-O factura trebuie sa contina maximum 50 de aparitii ale grupului Atributele articolului (BG-32). #The allowed maximum number of occurences of Item attributes (BG-32) is 50.',
        test: () => true, // count(.) <= 50
      },
      ...lengthAsserts(ITEM_PROPERTY_LENGTHS),
    ],
  }),
  rule({
    ...RO_LINE,
    priority: 1006,
    asserts: [
      {
        id: 'BR-DEC-RO-23',
        flag: 'fatal',
        message:
          '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoarea neta a liniei facturii (BT-131) este 2. #The allowed maximum number of decimals for the Invoice line net amount (BT-131) is 2.',
        test: (n) => atMostTwoDecimals(elementOf(n), 'cbc:LineExtensionAmount'),
      },
    ],
  }),
  rule({
    ...RO_LINE_ALLOWANCE,
    asserts: [
      {
        id: 'BR-DEC-RO-24',
        flag: 'fatal',
        message:
          '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoarea deducerii la linia facturii (BT-136) este 2. #The allowed maximum number of decimals for the Invoice line allowance amount (BT-136) is 2.',
        test: (n) => atMostTwoDecimals(elementOf(n), 'cbc:Amount'),
      },
      {
        id: 'BR-DEC-RO-25',
        flag: 'fatal',
        message:
          '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoarea de baza a deducerii la linia facturii (BT-137) este 2. #The allowed maximum number of decimals for the Invoice line allowance base amount (BT-137) is 2.',
        test: (n) => atMostTwoDecimals(elementOf(n), 'cbc:BaseAmount'),
      },
      ...lengthAsserts(LINE_ALLOWANCE_LENGTHS),
    ],
  }),
  rule({
    ...RO_LINE_CHARGE,
    asserts: [
      {
        id: 'BR-DEC-RO-27',
        flag: 'fatal',
        message:
          '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoarea taxei suplimentare la linia facturii (BT-141) este 2. #The allowed maximum number of decimals for the Invoice line charge amount (BT-141) is 2.',
        test: (n) => atMostTwoDecimals(elementOf(n), 'cbc:Amount'),
      },
      {
        id: 'BR-DEC-RO-28',
        flag: 'fatal',
        message:
          '[BR-RO-Z2]-Numarul maxim permis de zecimale pentru Valoarea de baza a taxei suplimentare la linia facturii (BT-142) este 2. #The allowed maximum number of decimals for the Invoice line charge base amount (BT-142) is 2.',
        test: (n) => atMostTwoDecimals(elementOf(n), 'cbc:BaseAmount'),
      },
      ...lengthAsserts(LINE_CHARGE_LENGTHS),
    ],
  }),
];
