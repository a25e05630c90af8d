/**
 * A small, plausible UBL 2.1 CIUS-RO invoice (or credit note) for tests, the demo and
 * benchmarks: Romanian parties with RO VAT identifiers and ISO 3166-2:RO subdivisions,
 * standard-rated VAT (19 % unless told), and totals that agree to the cent (computed in
 * integer cents, never in floating point).
 */
import { CIUS_RO_CUSTOMIZATION_ID } from '../../xml/invoice-metadata.js';
import { anafDay } from '../../adapters/anaf/time.js';

export interface SampleInvoiceLine {
  name: string;
  quantity: number;
  /** At most two decimals. */
  unitPrice: number;
  /** UN/ECE rec 20 unit code; default H87 (piece). */
  unitCode?: string;
  /** Default 19. 0 makes the line zero-rated (category Z). */
  vatPercent?: number;
}

export interface SampleInvoiceOptions {
  /** Digits only. */
  supplierCif: string;
  buyerCif: string;
  /** cbc:ID (series and number), e.g. "FCT-0001". */
  id: string;
  /** yyyy-MM-dd; default today (Bucharest). */
  issueDate?: string;
  lines?: SampleInvoiceLine[];
  customizationId?: string;
  supplierName?: string;
  buyerName?: string;
  /** A UBL CreditNote instead of an Invoice. */
  creditNote?: boolean;
  note?: string;
}

export interface SampleInvoiceTotals {
  lineExtension: string;
  taxExclusive: string;
  tax: string;
  taxInclusive: string;
  payable: string;
  /** Per VAT rate: taxable amount and VAT. */
  breakdown: Array<{ category: 'S' | 'Z'; percent: number; taxable: string; tax: string }>;
}

export const DEFAULT_SAMPLE_LINES: readonly SampleInvoiceLine[] = [
  { name: 'Servicii de consultanta IT', quantity: 10, unitPrice: 150, unitCode: 'HUR' },
  { name: 'Licenta software anuala', quantity: 1, unitPrice: 1234.56, unitCode: 'H87' },
];

const UBL_NS = {
  Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

/** Integer division rounding half away from zero (EN 16931 rounds amounts to 2 decimals). */
function divRound(num: number, den: number): number {
  const sign = num < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(num) * 2 + den) / (2 * den));
}

function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function text(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface LineAmounts {
  line: SampleInvoiceLine;
  quantityMilli: number;
  priceCents: number;
  netCents: number;
  percent: number;
}

function lineAmounts(line: SampleInvoiceLine): LineAmounts {
  const quantityMilli = Math.round(line.quantity * 1000);
  const priceCents = Math.round(line.unitPrice * 100);
  return {
    line,
    quantityMilli,
    priceCents,
    netCents: divRound(quantityMilli * priceCents, 1000),
    percent: line.vatPercent ?? 19,
  };
}

function computeTotals(lines: readonly SampleInvoiceLine[]): { amounts: LineAmounts[]; totals: SampleInvoiceTotals } {
  const amounts = lines.map(lineAmounts);
  const byRate = new Map<number, number>();
  for (const a of amounts) byRate.set(a.percent, (byRate.get(a.percent) ?? 0) + a.netCents);
  let taxCents = 0;
  const breakdown = [...byRate.entries()]
    .sort((x, y) => y[0] - x[0])
    .map(([percent, taxable]) => {
      const tax = divRound(taxable * Math.round(percent * 100), 10_000);
      taxCents += tax;
      return { category: percent > 0 ? ('S' as const) : ('Z' as const), percent, taxable: money(taxable), tax: money(tax) };
    });
  const net = amounts.reduce((s, a) => s + a.netCents, 0);
  return {
    amounts,
    totals: {
      lineExtension: money(net),
      taxExclusive: money(net),
      tax: money(taxCents),
      taxInclusive: money(net + taxCents),
      payable: money(net + taxCents),
      breakdown,
    },
  };
}

/** The totals buildSampleInvoice writes for these lines. */
export function sampleInvoiceTotals(lines: readonly SampleInvoiceLine[] = DEFAULT_SAMPLE_LINES): SampleInvoiceTotals {
  return computeTotals(lines).totals;
}

interface PartyInfo {
  cif: string;
  name: string;
  street: string;
  city: string;
  postalZone: string;
  subentity: string;
  /** BT-30 / BT-47, written in PartyLegalEntity when given. */
  registration?: string;
}

function party(role: 'AccountingSupplierParty' | 'AccountingCustomerParty', p: PartyInfo): string {
  return [
    `  <cac:${role}>`,
    '    <cac:Party>',
    `      <cac:PartyName><cbc:Name>${text(p.name)}</cbc:Name></cac:PartyName>`,
    '      <cac:PostalAddress>',
    `        <cbc:StreetName>${text(p.street)}</cbc:StreetName>`,
    `        <cbc:CityName>${text(p.city)}</cbc:CityName>`,
    `        <cbc:PostalZone>${p.postalZone}</cbc:PostalZone>`,
    `        <cbc:CountrySubentity>${p.subentity}</cbc:CountrySubentity>`,
    '        <cac:Country><cbc:IdentificationCode>RO</cbc:IdentificationCode></cac:Country>',
    '      </cac:PostalAddress>',
    `      <cac:PartyTaxScheme><cbc:CompanyID>RO${p.cif}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>`,
    `      <cac:PartyLegalEntity><cbc:RegistrationName>${text(p.name)}</cbc:RegistrationName>` +
      (p.registration ? `<cbc:CompanyID>${p.registration}</cbc:CompanyID>` : '') +
      '</cac:PartyLegalEntity>',
    '    </cac:Party>',
    `  </cac:${role}>`,
  ].join('\n');
}

function plusDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function taxCategory(tag: string, category: 'S' | 'Z', percent: number): string {
  return `<cac:${tag}><cbc:ID>${category}</cbc:ID><cbc:Percent>${percent}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:${tag}>`;
}

/** A UBL 2.1 CIUS-RO invoice (or credit note) as a string. */
export function buildSampleInvoice(options: SampleInvoiceOptions): string {
  const root = options.creditNote ? 'CreditNote' : 'Invoice';
  const lineTag = options.creditNote ? 'CreditNoteLine' : 'InvoiceLine';
  const quantityTag = options.creditNote ? 'CreditedQuantity' : 'InvoicedQuantity';
  const issueDate = options.issueDate ?? anafDay(new Date());
  const { amounts, totals } = computeTotals(options.lines ?? DEFAULT_SAMPLE_LINES);
  const supplier: PartyInfo = {
    cif: options.supplierCif,
    name: options.supplierName ?? `Furnizor ${options.supplierCif} SRL`,
    street: 'Strada Academiei nr. 14',
    city: 'SECTOR1',
    postalZone: '010014',
    subentity: 'RO-B',
    registration: `J40/${options.supplierCif.slice(-4)}/2015`,
  };
  const buyer: PartyInfo = {
    cif: options.buyerCif,
    name: options.buyerName ?? `Client ${options.buyerCif} SRL`,
    street: 'Strada Memorandumului nr. 28',
    city: 'Cluj-Napoca',
    postalZone: '400114',
    // The buyer is identified by its VAT id alone (BT-48), so removing PartyTaxScheme leaves
    // it with no identifier at all (BR-RO-120) — the demo's "buyer CompanyID missing" case.
    subentity: 'RO-CJ',
  };
  const cur = 'currencyID="RON"';
  const lines = amounts.map((a, i) =>
    [
      `  <cac:${lineTag}>`,
      `    <cbc:ID>${i + 1}</cbc:ID>`,
      `    <cbc:${quantityTag} unitCode="${a.line.unitCode ?? 'H87'}">${a.quantityMilli / 1000}</cbc:${quantityTag}>`,
      `    <cbc:LineExtensionAmount ${cur}>${money(a.netCents)}</cbc:LineExtensionAmount>`,
      `    <cac:Item><cbc:Name>${text(a.line.name)}</cbc:Name>` +
        taxCategory('ClassifiedTaxCategory', a.percent > 0 ? 'S' : 'Z', a.percent) +
        '</cac:Item>',
      `    <cac:Price><cbc:PriceAmount ${cur}>${money(a.priceCents)}</cbc:PriceAmount></cac:Price>`,
      `  </cac:${lineTag}>`,
    ].join('\n'),
  );
  const subtotals = totals.breakdown.map(
    (b) =>
      `<cac:TaxSubtotal><cbc:TaxableAmount ${cur}>${b.taxable}</cbc:TaxableAmount><cbc:TaxAmount ${cur}>${b.tax}</cbc:TaxAmount>` +
      `${taxCategory('TaxCategory', b.category, b.percent)}</cac:TaxSubtotal>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<${root} xmlns="${UBL_NS[root]}" xmlns:cac="${UBL_NS.cac}" xmlns:cbc="${UBL_NS.cbc}">`,
    `  <cbc:CustomizationID>${text(options.customizationId ?? CIUS_RO_CUSTOMIZATION_ID)}</cbc:CustomizationID>`,
    `  <cbc:ID>${text(options.id)}</cbc:ID>`,
    `  <cbc:IssueDate>${issueDate}</cbc:IssueDate>`,
    ...(options.creditNote ? [] : [`  <cbc:DueDate>${plusDays(issueDate, 30)}</cbc:DueDate>`]),
    options.creditNote ? '  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>' : '  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>',
    ...(options.note ? [`  <cbc:Note>${text(options.note)}</cbc:Note>`] : []),
    '  <cbc:DocumentCurrencyCode>RON</cbc:DocumentCurrencyCode>',
    party('AccountingSupplierParty', supplier),
    party('AccountingCustomerParty', buyer),
    ...(options.creditNote
      ? []
      : [
          '  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>' +
            '<cac:PayeeFinancialAccount><cbc:ID>RO49AAAA1B31007593840000</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>',
        ]),
    `  <cac:TaxTotal><cbc:TaxAmount ${cur}>${totals.tax}</cbc:TaxAmount>\n    ${subtotals.join('\n    ')}\n  </cac:TaxTotal>`,
    '  <cac:LegalMonetaryTotal>',
    `    <cbc:LineExtensionAmount ${cur}>${totals.lineExtension}</cbc:LineExtensionAmount>`,
    `    <cbc:TaxExclusiveAmount ${cur}>${totals.taxExclusive}</cbc:TaxExclusiveAmount>`,
    `    <cbc:TaxInclusiveAmount ${cur}>${totals.taxInclusive}</cbc:TaxInclusiveAmount>`,
    `    <cbc:PayableAmount ${cur}>${totals.payable}</cbc:PayableAmount>`,
    '  </cac:LegalMonetaryTotal>',
    ...lines,
    `</${root}>`,
    '',
  ].join('\n');
}
