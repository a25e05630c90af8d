import { describe, expect, test } from 'vitest';
import { parseInvoiceDocument } from '../../model/document.js';
import { compileForbidden, forbiddenFound } from './forbidden-paths.js';

const doc = (body: string, rootAttrs = '') =>
  parseInvoiceDocument(`<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"${rootAttrs}>${body}</Invoice>`);

const index = compileForbidden([
  { id: 'root-child', path: 'cbc:UUID' },
  { id: 'deep', path: 'cac:Delivery/cac:DeliveryLocation/cbc:Name' },
  { id: 'line', path: '(cac:InvoiceLine|cac:CreditNoteLine)/cbc:UUID' },
  { id: 'attr', path: 'cbc:ID/@schemeID' },
  { id: 'anywhere', path: '//cac:Price/cac:AllowanceCharge/cbc:AllowanceChargeReason' },
  { id: 'any-attr', path: '//@listName' },
  { id: 'name-attr', path: '//@name', exceptOn: 'cbc:PaymentMeansCode' },
]);

describe('forbidden paths (one walk for all UBL-CR restrictions)', () => {
  test('nothing forbidden, nothing found', () => {
    expect([...forbiddenFound(doc('<cbc:ID>1</cbc:ID><cac:PaymentMeans><cbc:PaymentMeansCode name="x">30</cbc:PaymentMeansCode></cac:PaymentMeans>'), index)]).toEqual([]);
  });

  test('relative paths start at the root, only there', () => {
    expect([...forbiddenFound(doc('<cbc:UUID>u</cbc:UUID>'), index)]).toEqual(['root-child']);
    expect([...forbiddenFound(doc('<cac:X><cbc:UUID>u</cbc:UUID></cac:X>'), index)]).toEqual([]);
    expect([...forbiddenFound(doc('<cac:Delivery><cac:DeliveryLocation><cbc:Name>n</cbc:Name></cac:DeliveryLocation></cac:Delivery>'), index)]).toEqual(['deep']);
  });

  test('alternatives, attributes, anywhere', () => {
    expect([...forbiddenFound(doc('<cac:CreditNoteLine><cbc:UUID>u</cbc:UUID></cac:CreditNoteLine>'), index)]).toEqual(['line']);
    expect([...forbiddenFound(doc('<cbc:ID schemeID="0088">1</cbc:ID>'), index)]).toEqual(['attr']);
    const nested = '<cac:InvoiceLine><cac:Price><cac:AllowanceCharge><cbc:AllowanceChargeReason>r</cbc:AllowanceChargeReason></cac:AllowanceCharge></cac:Price></cac:InvoiceLine>';
    expect([...forbiddenFound(doc(nested), index)]).toEqual(['anywhere']);
    expect([...forbiddenFound(doc('<cbc:Note listName="x">n</cbc:Note>'), index)]).toEqual(['any-attr']);
    expect([...forbiddenFound(doc('', ' listName="x"'), index)]).toEqual(['any-attr']);
  });

  test('an attribute allowed on one element only (UBL-DT-18)', () => {
    expect([...forbiddenFound(doc('<cbc:Note name="x">n</cbc:Note>'), index)]).toEqual(['name-attr']);
  });

  test('one walk per document', () => {
    const d = doc('<cbc:UUID>u</cbc:UUID>');
    expect(forbiddenFound(d, index)).toBe(forbiddenFound(d, index));
  });
});
