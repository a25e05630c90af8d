/**
 * UBL syntax restrictions of EN 16931 (UBL-CR-*, UBL-DT-08…28): elements and attributes a UBL
 * invoice should not carry, on the rule `/ubl:Invoice | /cn:CreditNote` (UBL-syntax 1006). The
 * plain "not(path)" asserts come from a table (forbidden-table.ts) and share one walk of the
 * document; the few with conditions are written out below.
 */
import { rule } from '../../registry.js';
import type { XElement } from '../../model/document.js';
import { NS } from '../../model/namespaces.js';
import { anyEquals, anywhere, childrenNamed, elementOf, exists, stringValue } from '../../model/navigate.js';
import type { AssertDef } from '../../types.js';
import { SYNTAX_ROOT } from '../contexts.js';
import { FORBIDDEN } from './forbidden-table.js';
import { compileForbidden, forbiddenFound, type ForbiddenPath } from './forbidden-paths.js';

const DT_18: ForbiddenPath = { id: 'UBL-DT-18', path: '//@name', exceptOn: 'cbc:PaymentMeansCode' };
const INDEX = compileForbidden([...FORBIDDEN.map(([id, , path]) => ({ id, path })), DT_18]);

const tableAsserts: AssertDef[] = FORBIDDEN.map(([id, flag, , message]) => ({
  id,
  flag,
  message,
  test: (_n, env) => !forbiddenFound(env.doc, INDEX).has(id),
}));

/** //cac:AdditionalDocumentReference[pred]/child exists */
function documentReferencesWith(el: XElement, pred: (adr: XElement) => boolean, child: (adr: XElement) => boolean): boolean {
  return anywhere(el, 'cac:AdditionalDocumentReference').some((adr) => pred(adr) && child(adr));
}
const typeCodes = (adr: XElement): XElement[] => childrenNamed(adr, 'cbc:DocumentTypeCode');
const isObjectIdentifier = (adr: XElement): boolean => typeCodes(adr).some((c) => stringValue(c) === '130');

export default [
  rule({
    ...SYNTAX_ROOT,
    asserts: [
      ...tableAsserts,
      {
        id: 'UBL-CR-002',
        flag: 'warning',
        message: '[UBL-CR-002]-A UBL invoice should not include the UBLVersionID or it should be 2.1',
        test: (n) => !exists(elementOf(n), 'cbc:UBLVersionID') || anyEquals(elementOf(n), 'cbc:UBLVersionID', '2.1'),
      },
      {
        id: 'UBL-CR-412',
        flag: 'warning',
        message: '[UBL-CR-412]-A UBL invoice should not include the PaymentMeans PaymentDueDate',
        // `or ../cn:CreditNote`: the root's parent is the document node, whose child is a CreditNote root.
        test: (n) => {
          const el = elementOf(n);
          return !exists(el, 'cac:PaymentMeans/cbc:PaymentDueDate') || (el.parent === null && el.ns === NS.cn && el.local === 'CreditNote');
        },
      },
      {
        id: 'UBL-CR-665',
        flag: 'warning',
        message:
          "[UBL-CR-665]-A UBL invoice should not include the AdditionalDocumentReference ID schemeID unless the DocumentTypeCode equals '130'",
        test: (n) =>
          !documentReferencesWith(
            elementOf(n),
            (adr) => typeCodes(adr).some((c) => stringValue(c) !== '130') || typeCodes(adr).length === 0,
            (adr) => childrenNamed(adr, 'cbc:ID').some((id) => id.attrs.some((a) => a.local === 'schemeID')),
          ),
      },
      {
        id: 'UBL-CR-666',
        flag: 'fatal',
        message:
          '[UBL-CR-666]-A UBL invoice shall not include an AdditionalDocumentReference simultaneously referring an Invoice Object Identifier and an Attachment',
        test: (n) => !documentReferencesWith(elementOf(n), isObjectIdentifier, (adr) => exists(adr, 'cac:Attachment')),
      },
      {
        id: 'UBL-CR-673',
        flag: 'fatal',
        message:
          '[UBL-CR-673]-A UBL invoice shall not include an AdditionalDocumentReference simultaneously referring an Invoice Object Identifier and an Document Description',
        test: (n) => !documentReferencesWith(elementOf(n), isObjectIdentifier, (adr) => exists(adr, 'cbc:DocumentDescription')),
      },
      {
        id: 'UBL-DT-18',
        flag: 'warning',
        message: '[UBL-DT-18]-Name attribute should not be present',
        // count(//@name) - count(//cbc:PaymentMeansCode/@name) <= 0: every @name sits on a PaymentMeansCode.
        test: (_n, env) => !forbiddenFound(env.doc, INDEX).has('UBL-DT-18'),
      },
    ],
  }),
];
