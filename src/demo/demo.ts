/**
 * The demo a newcomer sees on `efact serve` with no configuration: a demo company whose ERP
 * "exports" invoices into a folder laid out like the manuals' (Efact<yyyy>_<mm>/Fact/FactN.XML),
 * one every few seconds. Most are fine; some carry the mistakes ANAF rejects, one is not even
 * XML, and one NOK is later corrected and sent again — the whole lifecycle in about a minute.
 */
import { mkdir, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { buildSampleInvoice } from '../sandbox/anaf/sample-invoice.js';
import type { Clock } from '../ports/clock.js';

/** ANAF's own example CIF (valid check digit), used by its API documentation. */
export const DEMO_CIF = '8000000000';
export const DEMO_BUYER_CIF = '8609468';

export interface DemoFile {
  name: string;
  xml: string;
  /** What a person should expect to happen to it. */
  expect: string;
}

function monthFolder(date: Date): string {
  return `Efact${date.getFullYear()}_${String(date.getMonth() + 1).padStart(2, '0')}`;
}

/** The scripted files, in the order the "ERP" writes them. */
export function demoScript(today: Date): DemoFile[] {
  const issueDate = today.toISOString().slice(0, 10);
  const invoice = (n: number, extra: Partial<Parameters<typeof buildSampleInvoice>[0]> = {}): string =>
    buildSampleInvoice({ supplierCif: DEMO_CIF, buyerCif: DEMO_BUYER_CIF, id: `FACT${n}`, issueDate, ...extra });
  const withoutBuyerVat = invoice(5).replace(
    /(<cac:AccountingCustomerParty>[\s\S]*?)<cac:PartyTaxScheme>[\s\S]*?<\/cac:PartyTaxScheme>/,
    '$1',
  );
  return [
    { name: 'Fact1.XML', xml: invoice(1), expect: 'ok → downloaded' },
    { name: 'Fact2.XML', xml: invoice(2), expect: 'ok → downloaded' },
    {
      name: 'Fact3.XML',
      xml: invoice(3, { customizationId: 'urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.0' }),
      expect: 'nok (BR-RO-001: old CustomizationID), corrected later',
    },
    { name: 'Fact4.XML', xml: invoice(4), expect: 'ok → downloaded' },
    { name: 'Fact5.XML', xml: withoutBuyerVat, expect: 'nok (buyer CompanyID missing)' },
    { name: 'Fact6.XML', xml: invoice(6), expect: 'ok → downloaded' },
    { name: 'Fact7.XML', xml: '<Invoice><cbc:ID>FACT7</Invoice', expect: 'refused at intake: not well-formed XML' },
    { name: 'Fact3.XML', xml: invoice(3), expect: 'the corrected FACT3 supersedes the NOK and goes through' },
    { name: 'Fact8.XML', xml: invoice(8), expect: 'ok → downloaded' },
  ];
}

export interface DemoOptions {
  exportFolder: string;
  clock: Clock;
  /** Gap between two files. */
  intervalMs?: number;
  onFile?: (file: DemoFile, fullPath: string) => void;
}

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

/** Writes the script into the folder over time; stops when aborted. Files already written on an earlier run are not rewritten. */
export async function runDemo(options: DemoOptions, signal: AbortSignal): Promise<void> {
  const { exportFolder, clock, intervalMs = 3000 } = options;
  const today = clock.now();
  const folder = path.join(exportFolder, monthFolder(today), 'Fact');
  await mkdir(folder, { recursive: true });
  const marker = path.join(exportFolder, '.demo-done');
  if (await exists(marker)) return;
  const script = demoScript(today);
  for (const [i, file] of script.entries()) {
    if (signal.aborted) return;
    await clock.sleep(i === 0 ? 500 : intervalMs, signal);
    if (signal.aborted) return;
    const full = path.join(folder, file.name);
    // The manuals' columns: computer, user, branch — from a sidecar the "ERP" writes first.
    await writeFile(full.replace(/\.xml$/i, '.json'), JSON.stringify({ computer: 'RALUCA', user: 'Rakuc2', branch: 'Sediu Central' }));
    await writeFile(full, file.xml);
    options.onFile?.(file, full);
  }
  await writeFile(marker, 'the demo script ran; delete this file to run it again\n');
}
