/**
 * The UBL 2.1 structure check: each kind of finding on a small invoice, Invoice and CreditNote,
 * the wiring into validateInvoice, and the schema-valid corpus files (skipped where
 * ../shared/reference is absent) producing no structure finding at all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildSampleInvoice } from '../../sandbox/anaf/sample-invoice.js';
import { parseInvoiceDocument } from '../model/document.js';
import { validateInvoice } from '../run.js';
import { referenceDir } from '../testing/reference.js';
import { checkStructure, isStructureFinding } from './check.js';
import { validValue } from './values.js';

const INVOICE = buildSampleInvoice({ supplierCif: '12345674', buyerCif: '8000000000', id: 'FCT-1', issueDate: '2026-03-10' });
const CREDIT_NOTE = buildSampleInvoice({ supplierCif: '12345674', buyerCif: '8000000000', id: 'CN-1', issueDate: '2026-03-10', creditNote: true });

function findings(xml: string): Array<{ ruleId: string; location: string; line: number; message: string }> {
  return checkStructure(parseInvoiceDocument(xml)).map(({ ruleId, location, line, message }) => ({ ruleId, location, line, message }));
}

/** `xml` with `from` replaced once (the replacement must apply). */
function edit(xml: string, from: string | RegExp, to: string): string {
  const out = xml.replace(from, to);
  if (out === xml) throw new Error(`edit did not apply: ${String(from)}`);
  return out;
}

function lineOf(xml: string, needle: string): number {
  return xml.slice(0, xml.indexOf(needle)).split('\n').length;
}

describe('UBL 2.1 structure check', () => {
  test('the sample Invoice and CreditNote are structure-valid', () => {
    expect(findings(INVOICE)).toEqual([]);
    expect(findings(CREDIT_NOTE)).toEqual([]);
  });

  test('unknown element (and the namespace slip hint)', () => {
    const xml = edit(INVOICE, '<cbc:ID>FCT-1</cbc:ID>', '<cbc:ID>FCT-1</cbc:ID>\n  <cbc:Colour>red</cbc:Colour>');
    expect(findings(xml)).toEqual([
      {
        ruleId: 'UBL-XSD-UNKNOWN',
        location: '/Invoice/cbc:Colour',
        line: lineOf(xml, '<cbc:Colour>'),
        message: '[UBL-XSD-UNKNOWN]-cbc:Colour is not an element of Invoice (UBL 2.1 ubl:InvoiceType).',
      },
    ]);
    const slip = edit(INVOICE, '<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>', '<cac:PaymentMeans><cac:PaymentMeansCode>30</cac:PaymentMeansCode>');
    const f = findings(slip);
    expect(f.map((x) => x.ruleId)).toEqual(['UBL-XSD-UNKNOWN', 'UBL-XSD-MISSING']);
    expect(f[0]!.message).toContain('UBL 2.1 has cbc:PaymentMeansCode there');
    expect(f[1]).toMatchObject({ location: '/Invoice/cac:PaymentMeans' });
  });

  test('element out of order', () => {
    const xml = edit(edit(INVOICE, '  <cbc:CustomizationID>', '  <cbc:XX>'), '<cbc:IssueDate>2026-03-10</cbc:IssueDate>', '<cbc:IssueDate>2026-03-10</cbc:IssueDate>\n  <cbc:CustomizationID>x</cbc:CustomizationID>');
    const moved = xml.replace(/  <cbc:XX>.*\n/, '');
    expect(findings(moved)).toEqual([
      {
        ruleId: 'UBL-XSD-ORDER',
        location: '/Invoice/cbc:CustomizationID',
        line: lineOf(moved, '<cbc:CustomizationID>'),
        message: '[UBL-XSD-ORDER]-cbc:CustomizationID is out of order in Invoice: it must come before cbc:IssueDate (UBL 2.1 ubl:InvoiceType sequence).',
      },
    ]);
  });

  test('missing required element, reported on the parent with where it belongs', () => {
    const xml = edit(INVOICE, /\s*<cbc:IssueDate>2026-03-10<\/cbc:IssueDate>/, '');
    expect(findings(xml)).toEqual([
      {
        ruleId: 'UBL-XSD-MISSING',
        location: '/Invoice',
        line: 2,
        message: '[UBL-XSD-MISSING]-Invoice lacks the required element cbc:IssueDate, expected before cbc:DueDate (UBL 2.1 ubl:InvoiceType).',
      },
    ]);
    const noLines = INVOICE.replace(/\s*<cac:InvoiceLine>[\s\S]*?<\/cac:InvoiceLine>/g, '');
    expect(findings(noLines).map((f) => f.message)).toEqual([
      '[UBL-XSD-MISSING]-Invoice lacks the required element cac:InvoiceLine, expected after cac:LegalMonetaryTotal (UBL 2.1 ubl:InvoiceType).',
    ]);
    const noScheme = edit(INVOICE, '<cbc:Percent>19</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>', '<cbc:Percent>19</cbc:Percent></cac:TaxCategory>');
    expect(findings(noScheme)).toMatchObject([{ ruleId: 'UBL-XSD-MISSING', location: '/Invoice/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory' }]);
  });

  test('too many occurrences', () => {
    const xml = edit(INVOICE, '<cbc:DueDate>2026-04-09</cbc:DueDate>', '<cbc:DueDate>2026-04-09</cbc:DueDate>\n  <cbc:DueDate>2026-04-10</cbc:DueDate>');
    expect(findings(xml)).toEqual([
      {
        ruleId: 'UBL-XSD-TOO-MANY',
        location: '/Invoice/cbc:DueDate[2]',
        line: lineOf(xml, '<cbc:DueDate>2026-04-10'),
        message: '[UBL-XSD-TOO-MANY]-Invoice may contain cbc:DueDate at most once (UBL 2.1 ubl:InvoiceType).',
      },
    ]);
  });

  test('bad values: date, amount, indicator, time, quantity, binary object', () => {
    let xml = edit(INVOICE, '<cbc:IssueDate>2026-03-10</cbc:IssueDate>', '<cbc:IssueDate>10.03.2026</cbc:IssueDate>\n  <cbc:IssueTime>25:00:00</cbc:IssueTime>');
    xml = edit(xml, '<cbc:PayableAmount currencyID="RON">3254.13</cbc:PayableAmount>', '<cbc:PayableAmount currencyID="RON">3,254.13</cbc:PayableAmount>');
    xml = edit(xml, '<cbc:InvoicedQuantity unitCode="HUR">10</cbc:InvoicedQuantity>', '<cbc:InvoicedQuantity unitCode="HUR">ten</cbc:InvoicedQuantity>');
    xml = edit(xml, '<cac:TaxTotal>', '<cac:AllowanceCharge><cbc:ChargeIndicator>yes</cbc:ChargeIndicator><cbc:Amount currencyID="RON">1e3</cbc:Amount></cac:AllowanceCharge>\n  <cac:TaxTotal>');
    xml = edit(
      xml,
      '<cac:AccountingSupplierParty>',
      '<cac:AdditionalDocumentReference><cbc:ID>A</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="a.pdf">not base64!</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>\n  <cac:AccountingSupplierParty>',
    );
    const f = findings(xml);
    expect(f.map((x) => `${x.ruleId} ${x.location}`)).toEqual([
      'UBL-XSD-VALUE /Invoice/cbc:IssueDate',
      'UBL-XSD-VALUE /Invoice/cbc:IssueTime',
      'UBL-XSD-VALUE /Invoice/cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject',
      'UBL-XSD-VALUE /Invoice/cac:AllowanceCharge/cbc:ChargeIndicator',
      'UBL-XSD-VALUE /Invoice/cac:AllowanceCharge/cbc:Amount',
      'UBL-XSD-VALUE /Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount',
      'UBL-XSD-VALUE /Invoice/cac:InvoiceLine[1]/cbc:InvoicedQuantity',
    ]);
    expect(f[0]!.message).toBe("[UBL-XSD-VALUE]-cbc:IssueDate has the value '10.03.2026', not a calendar date YYYY-MM-DD (UBL 2.1 udt:DateType, xsd:date).");
    expect(f[3]!.message).toContain("cbc:ChargeIndicator has the value 'yes', not true or false");
    expect(f[5]!.message).toContain("cbc:PayableAmount has the value '3,254.13', not a decimal number");
  });

  test('missing required attribute (currencyID on amounts, mimeCode on binary objects) and attributes UBL does not define', () => {
    let xml = edit(INVOICE, '<cbc:PayableAmount currencyID="RON">', '<cbc:PayableAmount>');
    xml = edit(xml, '<cbc:InvoiceTypeCode>380', '<cbc:InvoiceTypeCode currency="RON">380');
    expect(findings(xml)).toEqual([
      {
        ruleId: 'UBL-XSD-ATTR-UNKNOWN',
        location: '/Invoice/cbc:InvoiceTypeCode',
        line: lineOf(xml, '<cbc:InvoiceTypeCode'),
        message: expect.stringContaining('cbc:InvoiceTypeCode does not allow the attribute currency (UBL 2.1 udt:CodeType allows listID,'),
      },
      {
        ruleId: 'UBL-XSD-ATTR-MISSING',
        location: '/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount',
        line: lineOf(xml, '<cbc:PayableAmount>'),
        message: '[UBL-XSD-ATTR-MISSING]-cbc:PayableAmount lacks the required attribute currencyID (UBL 2.1 udt:AmountType).',
      },
    ]);
    // xsi attributes are allowed anywhere; a quantity's unitCode is optional in UBL 2.1 (EN 16931 requires it, the schema does not).
    const xsi = edit(
      edit(INVOICE, '<Invoice xmlns=', '<Invoice xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:x x.xsd" xmlns='),
      '<cbc:InvoicedQuantity unitCode="HUR">',
      '<cbc:InvoicedQuantity>',
    );
    expect(findings(xsi)).toEqual([]);
  });

  test('content: text inside an aggregate, elements inside a value', () => {
    let xml = edit(INVOICE, '<cac:PaymentMeans>', '<cac:PaymentMeans>cash');
    xml = edit(xml, '<cbc:Name>Servicii de consultanta IT</cbc:Name>', '<cbc:Name><b>Servicii</b></cbc:Name>');
    expect(findings(xml).map((f) => `${f.ruleId} ${f.location} ${f.message}`)).toEqual([
      "UBL-XSD-CONTENT /Invoice/cac:PaymentMeans [UBL-XSD-CONTENT]-cac:PaymentMeans contains elements only (UBL 2.1 cac:PaymentMeansType); it may not contain the text 'cash'.",
      'UBL-XSD-CONTENT /Invoice/cac:InvoiceLine[1]/cac:Item/cbc:Name [UBL-XSD-CONTENT]-cbc:Name holds a value only (UBL 2.1 udt:NameType); it may not contain the element b.',
    ]);
  });

  test('root element other than a UBL Invoice or CreditNote', () => {
    expect(findings('<Invoice><cbc:ID xmlns:cbc="x">1</cbc:ID></Invoice>')).toEqual([
      { ruleId: 'UBL-XSD-ROOT', location: '/Invoice', line: 1, message: '[UBL-XSD-ROOT]-The root element must be a UBL 2.1 Invoice or CreditNote; found Invoice without a namespace.' },
    ]);
    const wrongNs = INVOICE.replace('xsd:Invoice-2"', 'xsd:CreditNote-2"');
    expect(findings(wrongNs).map((f) => f.ruleId)).toEqual(['UBL-XSD-ROOT']);
  });

  test('CreditNote: its own sequence (CreditNoteLine, CreditedQuantity; no DueDate at the top)', () => {
    let xml = edit(CREDIT_NOTE, '<cbc:CreditNoteTypeCode>', '<cbc:DueDate>2026-04-09</cbc:DueDate>\n  <cbc:CreditNoteTypeCode>');
    xml = edit(xml, '<cbc:CreditedQuantity unitCode="HUR">10</cbc:CreditedQuantity>', '<cbc:InvoicedQuantity unitCode="HUR">10</cbc:InvoicedQuantity>');
    expect(findings(xml).map((f) => `${f.ruleId} ${f.location}`)).toEqual([
      'UBL-XSD-UNKNOWN /CreditNote/cbc:DueDate',
      'UBL-XSD-UNKNOWN /CreditNote/cac:CreditNoteLine[1]/cbc:InvoicedQuantity',
    ]);
    const asInvoiceLine = CREDIT_NOTE.replace(/cac:CreditNoteLine>/g, 'cac:InvoiceLine>');
    expect(findings(asInvoiceLine).map((f) => f.ruleId)).toEqual(['UBL-XSD-MISSING', 'UBL-XSD-UNKNOWN', 'UBL-XSD-UNKNOWN']);
  });

  test('ext:UBLExtensions: the wrapper is checked, ExtensionContent (xsd:any) is not looked into', () => {
    const ext =
      '<ext:UBLExtensions xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"><ext:UBLExtension><ext:ExtensionContent>' +
      '<x:Anything xmlns:x="urn:x" odd="1"><cbc:IssueDate>not a date</cbc:IssueDate></x:Anything></ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>\n  ';
    const xml = edit(INVOICE, '<cbc:CustomizationID>', ext + '<cbc:CustomizationID>');
    expect(findings(xml)).toEqual([]);
    const noContent = edit(INVOICE, '<cbc:CustomizationID>', '<ext:UBLExtensions xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"><ext:UBLExtension/></ext:UBLExtensions><cbc:CustomizationID>');
    expect(findings(noContent)).toMatchObject([{ ruleId: 'UBL-XSD-MISSING', location: '/Invoice/ext:UBLExtensions/ext:UBLExtension' }]);
  });

  test('validateInvoice reports structure findings first, fatal; structure: false leaves them out', () => {
    const xml = edit(INVOICE, '<cbc:DueDate>2026-04-09</cbc:DueDate>', '<cbc:DueDate>2026-04-31</cbc:DueDate>');
    const r = validateInvoice(xml);
    expect(r.valid).toBe(false);
    expect(r.findings[0]).toMatchObject({ ruleId: 'UBL-XSD-VALUE', severity: 'fatal', location: '/Invoice/cbc:DueDate' });
    expect(validateInvoice(xml, { structure: false }).findings.filter(isStructureFinding)).toEqual([]);
    expect(validateInvoice(INVOICE).findings).toEqual([]);
    expect(validateInvoice(CREDIT_NOTE).findings).toEqual([]);
  });

  test('xsd lexical forms: what the schema accepts beyond the usual spelling', () => {
    for (const v of ['2026-03-10', ' 2026-03-10\n', '2026-03-10Z', '2026-03-10+02:00', '2024-02-29', '12026-01-01']) expect(validValue('xsd:date', v)).toBe(true);
    for (const v of ['2026-3-10', '2026-02-29', '0000-01-01', '2026-03-10T10:00:00', '2026-03-10+15:00', '']) expect(validValue('xsd:date', v)).toBe(false);
    for (const v of ['12', '-1.50', '+.5', '7.', ' 3.14 ']) expect(validValue('xsd:decimal', v)).toBe(true);
    for (const v of ['1e3', '1,5', '', '.', 'NaN', '1 000']) expect(validValue('xsd:decimal', v)).toBe(false);
    for (const v of ['true', 'false', '1', '0', ' true ']) expect(validValue('xsd:boolean', v)).toBe(true);
    for (const v of ['True', 'yes', '']) expect(validValue('xsd:boolean', v)).toBe(false);
    for (const v of ['10:30:00', '23:59:59.999', '24:00:00', '10:30:00Z']) expect(validValue('xsd:time', v)).toBe(true);
    for (const v of ['10:30', '24:00:01', '10:60:00']) expect(validValue('xsd:time', v)).toBe(false);
    for (const v of ['', 'QUJD', 'QUI=', 'QQ==', 'QU\nJD ']) expect(validValue('xsd:base64Binary', v)).toBe(true);
    for (const v of ['QUJ', 'Q===', 'QR==', 'QU=D', 'not base64!']) expect(validValue('xsd:base64Binary', v)).toBe(false);
  });
});

const REF = referenceDir();
if (REF === null) console.warn('structure corpus test skipped: ../shared/reference (or EFACT_REFERENCE_DIR) is absent');

describe.skipIf(REF === null)('UBL 2.1 structure of the schema-valid corpus', () => {
  test('ciusro-valid, en16931-examples and ANAF examples: no structure finding', () => {
    const dirs = ['ciusro-valid', 'en16931-examples', 'anaf-examples'].map((d) => path.join(REF!, 'corpus', d));
    const files = dirs.flatMap((d) =>
      readdirSync(d, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith('.xml'))
        .map((e) => path.join(e.parentPath, e.name)),
    );
    expect(files.length).toBeGreaterThan(15);
    const bad = files.flatMap((f) => findings(readFileSync(f, 'utf8')).map((x) => `${path.relative(REF!, f)}: ${x.message} @ ${x.location}:${x.line}`));
    expect(bad).toEqual([]);
    // Both document types are among them.
    expect(files.some((f) => readFileSync(f, 'utf8').includes(':CreditNote-2'))).toBe(true);
  });
});
