/** Code-list rules on document-level codes (BR-CL-01…). */
import { rule } from '../../registry.js';
import { pattern } from '../../context-pattern.js';
import { stringValue } from '../../model/navigate.js';
import { NS } from '../../model/namespaces.js';
import { UNTDID_1001_CREDIT_NOTE, UNTDID_1001_INVOICE, inList } from './lists.js';

export default [
  rule({
    pattern: 'Codesmodel',
    priority: 1021,
    context: 'cbc:InvoiceTypeCode | cbc:CreditNoteTypeCode',
    match: pattern('cbc:InvoiceTypeCode | cbc:CreditNoteTypeCode'),
    asserts: [
      {
        id: 'BR-CL-01',
        flag: 'fatal',
        message:
          '[BR-CL-01]-The document type code MUST be coded by the invoice and credit note related code lists of UNTDID 1001.',
        test: (n) => {
          if (n.kind !== 'element' || n.ns !== NS.cbc) return false;
          if (n.local === 'InvoiceTypeCode') return inList(UNTDID_1001_INVOICE, stringValue(n));
          return n.local === 'CreditNoteTypeCode' && inList(UNTDID_1001_CREDIT_NOTE, stringValue(n));
        },
      },
    ],
  }),
];
