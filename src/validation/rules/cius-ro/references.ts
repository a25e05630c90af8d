/**
 * CIUS-RO rules on payment means (ROmodel 1016), notes (1003), supporting documents (1002) and
 * preceding invoice references (1001): lengths and counts. `count(.) <= 50` on a single node
 * (BR-RO-A051/A052) is always true: ANAF's way of writing an occurrence limit that never fires.
 */
import { rule } from '../../registry.js';
import { pattern } from '../../context-pattern.js';
import { childrenNamed, elementOf } from '../../model/navigate.js';
import { ADDITIONAL_DOCUMENT_LENGTHS, BILLING_REFERENCE_LENGTHS, NOTE_LENGTHS, PAYMENT_MEANS_LENGTHS } from './lengths.js';
import { lengthAsserts } from './xpath.js';

export default [
  rule({
    pattern: 'ROmodel',
    priority: 1016,
    context: '//cac:PaymentMeans',
    match: pattern('//cac:PaymentMeans'),
    asserts: lengthAsserts(PAYMENT_MEANS_LENGTHS),
  }),
  rule({
    pattern: 'ROmodel',
    priority: 1003,
    context: 'cbc:Note',
    match: pattern('cbc:Note'),
    asserts: lengthAsserts(NOTE_LENGTHS),
  }),
  rule({
    pattern: 'ROmodel',
    priority: 1002,
    context: '//cac:AdditionalDocumentReference',
    match: pattern('//cac:AdditionalDocumentReference'),
    asserts: [
      {
        id: 'BR-RO-A051',
        flag: 'fatal',
        message:
          '[BR-RO-A050]-O factura trebuie sa contina maximum 50 de aparitii ale grupului Documente justificative suplimentare (BG-24). #The allowed maximum number of occurences of Additional supporting documents (BG-24) is 50',
        test: () => true, // count(.) <= 50
      },
      ...lengthAsserts(ADDITIONAL_DOCUMENT_LENGTHS),
    ],
  }),
  rule({
    pattern: 'ROmodel',
    priority: 1001,
    context: '//cac:BillingReference',
    match: pattern('//cac:BillingReference'),
    asserts: [
      {
        id: 'BR-RO-A500',
        flag: 'fatal',
        message:
          '[BR-RO-A500]-O factura trebuie sa contina maximum 500 de aparitii ale grupului Referinta la o factura anterioara (BG-3). #The allowed maximum number of occurences of Preceding invoice reference (BG-3) is 500.',
        test: (n) => childrenNamed(elementOf(n), 'cac:InvoiceDocumentReference').length <= 500,
      },
      ...lengthAsserts(BILLING_REFERENCE_LENGTHS),
    ],
  }),
];
