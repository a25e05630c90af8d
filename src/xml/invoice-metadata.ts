/**
 * Reads what intake needs from an invoice XML: which standard it is, series and number,
 * issue date, supplier and buyer CIF, CustomizationID. Full validation lives in validation/.
 */
import { EfactError } from '../domain/errors.js';
import type { InvoiceMetadata, UploadStandard } from '../domain/invoice.js';
import { normalizeCif } from '../domain/cif.js';
import { child, parseXml, textAt, type ParseOptions, type XmlElement } from './parse.js';

export const UBL_INVOICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
export const UBL_CREDIT_NOTE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
export const CII_NS = 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100';
/** BR-RO-001: the CustomizationID ANAF requires today. */
export const CIUS_RO_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.1';

/**
 * Splits an invoice id into series and number the way ERPs write them: "FACT 123",
 * "F-0012", "TOSL108" → ("FACT","123"), ("F","0012"), ("TOSL","108"). An id without trailing
 * digits is all series; one of digits only is all number.
 */
export function splitSeriesNumber(invoiceId: string): { series: string; number: string } {
  const id = invoiceId.trim();
  const m = /^(.*?)[\s\-/_.#]*(\d+)$/.exec(id);
  if (!m) return { series: id, number: '' };
  return { series: m[1]!.trim(), number: m[2]! };
}

function partyCif(party: XmlElement | undefined): string | null {
  const p = child(party, 'Party');
  const candidates = [
    textAt(p, 'PartyTaxScheme', 'CompanyID'),
    textAt(p, 'PartyLegalEntity', 'CompanyID'),
    textAt(p, 'PartyIdentification', 'ID'),
  ];
  for (const c of candidates) {
    const n = c === null ? null : normalizeCif(c);
    if (n !== null) return n;
  }
  return null;
}

function ublMetadata(root: XmlElement, standard: UploadStandard): InvoiceMetadata {
  const invoiceId = textAt(root, 'ID');
  if (invoiceId === null) {
    throw new EfactError('NOT_AN_INVOICE', `the ${root.name} has no cbc:ID (invoice number, BT-1)`);
  }
  const { series, number } = splitSeriesNumber(invoiceId);
  return {
    standard,
    invoiceId,
    series,
    number,
    issueDate: textAt(root, 'IssueDate'),
    supplierCif: partyCif(child(root, 'AccountingSupplierParty')),
    buyerCif: partyCif(child(root, 'AccountingCustomerParty')),
    customizationId: textAt(root, 'CustomizationID'),
    currency: textAt(root, 'DocumentCurrencyCode'),
    payableAmount: textAt(root, 'LegalMonetaryTotal', 'PayableAmount'),
  };
}

function ciiMetadata(root: XmlElement): InvoiceMetadata {
  const doc = child(root, 'ExchangedDocument');
  const invoiceId = textAt(doc, 'ID');
  if (invoiceId === null) throw new EfactError('NOT_AN_INVOICE', 'the CrossIndustryInvoice has no ExchangedDocument/ID');
  const { series, number } = splitSeriesNumber(invoiceId);
  const trade = child(root, 'SupplyChainTradeTransaction');
  const agreement = child(trade, 'ApplicableHeaderTradeAgreement');
  const taxId = (party: string): string | null => {
    const reg = child(child(agreement, party), 'SpecifiedTaxRegistration');
    const v = textAt(reg, 'ID');
    return v === null ? null : normalizeCif(v);
  };
  const rawDate = textAt(doc, 'IssueDateTime', 'DateTimeString');
  const issueDate = rawDate && /^\d{8}$/.test(rawDate) ? `${rawDate.slice(0, 4)}-${rawDate.slice(4, 6)}-${rawDate.slice(6)}` : rawDate;
  const settlement = child(trade, 'ApplicableHeaderTradeSettlement');
  return {
    standard: 'CII',
    invoiceId,
    series,
    number,
    issueDate,
    supplierCif: taxId('SellerTradeParty'),
    buyerCif: taxId('BuyerTradeParty'),
    customizationId: textAt(child(root, 'ExchangedDocumentContext'), 'GuidelineSpecifiedDocumentContextParameter', 'ID'),
    currency: textAt(settlement, 'InvoiceCurrencyCode'),
    payableAmount: textAt(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation', 'DuePayableAmount'),
  };
}

/** Metadata of an already parsed document. */
export function metadataOf(root: XmlElement): InvoiceMetadata {
  if (root.name === 'Invoice' && root.ns === UBL_INVOICE_NS) return ublMetadata(root, 'UBL');
  if (root.name === 'CreditNote' && root.ns === UBL_CREDIT_NOTE_NS) return ublMetadata(root, 'CN');
  if (root.name === 'CrossIndustryInvoice' && root.ns === CII_NS) return ciiMetadata(root);
  throw new EfactError(
    'NOT_AN_INVOICE',
    `root element {${root.ns}}${root.name} is not a UBL Invoice, UBL CreditNote or CII CrossIndustryInvoice`,
  );
}

/** Parses untrusted bytes safely and reads the metadata. */
export function readInvoiceMetadata(xml: Uint8Array | string, options?: ParseOptions): InvoiceMetadata {
  return metadataOf(parseXml(xml, options));
}
