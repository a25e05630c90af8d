/**
 * The sandbox's answer to `transformare`: a real, one-page PDF summarising the invoice
 * (number, date, parties, lines, totals). ANAF's own PDF is richer; clients only need a
 * valid PDF whose text matches the invoice.
 */
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { InvoiceMetadata } from '../../domain/invoice.js';
import { child, children, textAt, type XmlElement } from '../../xml/parse.js';

/** The standard fonts speak WinAnsi only: fold Romanian diacritics, replace anything else. */
export function pdfSafe(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
}

function partySummary(root: XmlElement, partyName: string, cif: string | null): string {
  const party = child(child(root, partyName), 'Party');
  const name = textAt(party, 'PartyLegalEntity', 'RegistrationName') ?? textAt(party, 'PartyName', 'Name') ?? '-';
  return `${name}  (CIF ${cif ?? '-'})`;
}

interface Line {
  name: string;
  quantity: string;
  price: string;
  amount: string;
}

function linesOf(root: XmlElement): Line[] {
  const tag = root.name === 'CreditNote' ? 'CreditNoteLine' : 'InvoiceLine';
  const qty = root.name === 'CreditNote' ? 'CreditedQuantity' : 'InvoicedQuantity';
  return children(root, tag).map((l) => ({
    name: textAt(l, 'Item', 'Name') ?? '-',
    quantity: textAt(l, qty) ?? '',
    price: textAt(l, 'Price', 'PriceAmount') ?? '',
    amount: textAt(l, 'LineExtensionAmount') ?? '',
  }));
}

export async function renderInvoicePdf(root: XmlElement, meta: InvoiceMetadata, at: Date): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(pdfSafe(`Factura ${meta.invoiceId}`));
  doc.setProducer('Efact ANAF sandbox');
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  const page = doc.addPage([595.28, 841.89]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let y = 790;
  const write = (p: PDFPage, text: string, x: number, f: PDFFont = font, size = 10): void => {
    p.drawText(pdfSafe(text), { x, y, size, font: f });
  };
  const ubl = root.name === 'Invoice' || root.name === 'CreditNote';
  write(page, root.name === 'CreditNote' ? 'NOTA DE CREDIT' : 'FACTURA', 50, bold, 18);
  y -= 30;
  const header: Array<[string, string]> = [
    ['Numar', meta.invoiceId],
    ['Data emiterii', meta.issueDate ?? '-'],
    ['Furnizor', ubl ? partySummary(root, 'AccountingSupplierParty', meta.supplierCif) : `CIF ${meta.supplierCif ?? '-'}`],
    ['Cumparator', ubl ? partySummary(root, 'AccountingCustomerParty', meta.buyerCif) : `CIF ${meta.buyerCif ?? '-'}`],
  ];
  for (const [label, value] of header) {
    write(page, `${label}:`, 50, bold);
    write(page, value, 150);
    y -= 16;
  }
  y -= 14;
  if (ubl) {
    write(page, 'Denumire', 50, bold);
    write(page, 'Cantitate', 330, bold);
    write(page, 'Pret', 410, bold);
    write(page, 'Valoare', 490, bold);
    y -= 16;
    const lines = linesOf(root);
    for (const line of lines.slice(0, 30)) {
      write(page, line.name.slice(0, 50), 50);
      write(page, line.quantity, 330);
      write(page, line.price, 410);
      write(page, line.amount, 490);
      y -= 14;
    }
    if (lines.length > 30) {
      write(page, `... inca ${lines.length - 30} linii`, 50);
      y -= 14;
    }
    y -= 14;
  }
  const currency = meta.currency ?? '';
  const totals: Array<[string, string | null]> = ubl
    ? [
        ['Total fara TVA', textAt(root, 'LegalMonetaryTotal', 'TaxExclusiveAmount')],
        ['TVA', textAt(root, 'TaxTotal', 'TaxAmount')],
        ['Total de plata', meta.payableAmount],
      ]
    : [['Total de plata', meta.payableAmount]];
  for (const [label, value] of totals) {
    write(page, `${label}:`, 330, bold);
    write(page, `${value ?? '-'} ${currency}`, 450);
    y -= 16;
  }
  y = 40;
  write(page, 'Document generat de sandbox-ul ANAF al Efact; nu are valoare fiscala.', 50, font, 8);
  return doc.save();
}
