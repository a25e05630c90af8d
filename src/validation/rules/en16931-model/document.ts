/** EN 16931 business rules on the document as a whole (BR-01…BR-06). */
import { rule } from '../../registry.js';
import { anyNonEmpty, elementOf } from '../../model/navigate.js';
import { MODEL_ROOT } from '../contexts.js';

const el = elementOf;

export default [
  rule({
    ...MODEL_ROOT,
    asserts: [
      {
        id: 'BR-01',
        flag: 'fatal',
        message: '[BR-01]-An Invoice shall have a Specification identifier (BT-24).',
        test: (n) => anyNonEmpty(el(n), 'cbc:CustomizationID'),
      },
      {
        id: 'BR-02',
        flag: 'fatal',
        message: '[BR-02]-An Invoice shall have an Invoice number (BT-1).',
        test: (n) => anyNonEmpty(el(n), 'cbc:ID'),
      },
      {
        id: 'BR-03',
        flag: 'fatal',
        message: '[BR-03]-An Invoice shall have an Invoice issue date (BT-2).',
        test: (n) => anyNonEmpty(el(n), 'cbc:IssueDate'),
      },
      {
        id: 'BR-04',
        flag: 'fatal',
        message: '[BR-04]-An Invoice shall have an Invoice type code (BT-3).',
        test: (n) => anyNonEmpty(el(n), 'cbc:InvoiceTypeCode') || anyNonEmpty(el(n), 'cbc:CreditNoteTypeCode'),
      },
      {
        id: 'BR-05',
        flag: 'fatal',
        message: '[BR-05]-An Invoice shall have an Invoice currency code (BT-5).',
        test: (n) => anyNonEmpty(el(n), 'cbc:DocumentCurrencyCode'),
      },
      {
        id: 'BR-06',
        flag: 'fatal',
        message: '[BR-06]-An Invoice shall contain the Seller name (BT-27).',
        test: (n) => anyNonEmpty(el(n), 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'),
      },
    ],
  }),
];
