/**
 * What Efact writes beside an invoice's file in the ERP's folder, as pure functions of what the
 * store says: `<name>.status.json` (machine-readable, on every state change), `<name>.errors.txt`
 * (for a NOK: ANAF's messages, and local validation findings once that exists) and the answer
 * ZIP `<downloadId>.zip` (copied from the archive once downloaded).
 */
import path from 'node:path';
import type { Invoice } from '../../domain/invoice.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import { baseName } from '../intake/export-tree.js';

/**
 * A finding of Efact's own validation (EN 16931 / CIUS-RO rules checked before upload), as the
 * errors file and the status JSON show it. `localFindingsFromMessages` reads them from the
 * invoice's stored messages (intake keeps them there, source 'local').
 */
export interface LocalFinding {
  /** Rule id, e.g. BR-RO-010. */
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  /** Where in the XML (an XPath or line), when known. */
  location?: string;
}

export type LocalFindingsSource = (invoice: Invoice) => Promise<LocalFinding[]>;
export const noLocalFindings: LocalFindingsSource = async () => [];

/** The findings intake's validation stored with the invoice (messages with source 'local' and a rule id). */
export const localFindingsFromMessages: LocalFindingsSource = async (invoice) =>
  invoice.messages
    .filter((m) => m.source === 'local' && m.ruleId !== undefined)
    .map((m): LocalFinding => ({
      rule: m.ruleId!,
      severity: m.severity === 'warning' ? 'warning' : 'error',
      message: m.text,
      ...(m.location !== undefined ? { location: m.line ? `${m.location}, line ${m.line}` : m.location } : {}),
    }));

/** Statuses whose answer includes an errors file: refused by ANAF, or by Efact's own validation. */
export function hasErrorsFile(status: InvoiceStatus): boolean {
  return status === 'nok' || status === 'invalid';
}

/** Marks in the first line of Efact's own files: how it tells them apart from the ERP's. */
export const ERRORS_MARK = 'Efact e-Factura';
export const STATUS_MARK = '"generator": "Efact"';

export interface AnswerNames {
  /** The folder holding the invoice file. */
  dir: string;
  file: string;
  status: string;
  errors: string;
  /** `<downloadId>.zip`, once the invoice has a download id. */
  zip: string | null;
}

export function answerNames(sourcePath: string, invoice: Pick<Invoice, 'downloadId'>): AnswerNames {
  const file = path.basename(sourcePath);
  const base = baseName(file);
  return {
    dir: path.dirname(sourcePath),
    file,
    status: `${base}.status.json`,
    errors: `${base}.errors.txt`,
    zip: invoice.downloadId ? `${invoice.downloadId}.zip` : null,
  };
}

const STATUS_TEXT: Record<InvoiceStatus, string> = {
  queued: 'XML — primită de Efact, urmează să fie trimisă (received by Efact, waiting to be sent)',
  uploading: 'Se trimite la ANAF (being sent to ANAF)',
  processing: 'În prelucrare la ANAF (at ANAF, being processed)',
  ok: 'OK — acceptată de ANAF, răspunsul urmează să fie descărcat (accepted; answer being downloaded)',
  nok: 'NOK — respinsă de ANAF: corectați în ERP și generați din nou XML-ul (refused: fix it in the ERP and export it again)',
  downloaded: 'Downloaded — acceptată; arhiva ANAF este în acest folder (accepted; ANAF\'s ZIP is in this folder)',
  invalid: 'Respinsă de Efact înainte de trimitere (refused by Efact before sending)',
  'needs-attention': 'Necesită intervenție (a person must look at it)',
  superseded: 'Înlocuită de un fișier corectat (replaced by a corrected file)',
};

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export interface StatusDocument {
  generator: 'Efact';
  version: 1;
  file: string;
  id: number;
  invoice: string;
  series: string;
  number: string;
  environment: string;
  status: InvoiceStatus;
  statusText: string;
  uploadId: string | null;
  downloadId: string | null;
  receivedAt: string;
  uploadedAt: string | null;
  resolvedAt: string | null;
  downloadedAt: string | null;
  updatedAt: string;
  messages: Array<{ text: string; source: string }>;
  localFindings: LocalFinding[];
  answerZip: string | null;
  errorsFile: string | null;
  supersedes: number | null;
  supersededBy: number | null;
  lastError: string | null;
}

export function statusDocument(invoice: Invoice, names: AnswerNames, extra: { localFindings: LocalFinding[]; supersededBy: number | null }): StatusDocument {
  return {
    generator: 'Efact',
    version: 1,
    file: names.file,
    id: invoice.id,
    invoice: invoice.invoiceId,
    series: invoice.series,
    number: invoice.number,
    environment: invoice.environment,
    status: invoice.status,
    statusText: STATUS_TEXT[invoice.status],
    uploadId: invoice.uploadId,
    downloadId: invoice.downloadId,
    receivedAt: invoice.createdAt.toISOString(),
    uploadedAt: iso(invoice.uploadedAt),
    resolvedAt: iso(invoice.resolvedAt),
    downloadedAt: iso(invoice.downloadedAt),
    updatedAt: invoice.updatedAt.toISOString(),
    messages: invoice.messages.map((m) => ({ text: m.text, source: m.source })),
    localFindings: extra.localFindings,
    answerZip: invoice.status === 'downloaded' ? names.zip : null,
    errorsFile: hasErrorsFile(invoice.status) ? names.errors : null,
    supersedes: invoice.supersedesId,
    supersededBy: extra.supersededBy,
    lastError: invoice.lastError,
  };
}

/** `<name>.status.json`: pretty JSON, the mark in its first property. */
export function statusJson(doc: StatusDocument): Uint8Array {
  return Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, 'utf8');
}

/** `<name>.errors.txt`, UTF-8 with a byte order mark (Windows Notepad reads Romanian letters right), CRLF lines. */
export function errorsText(invoice: Invoice, names: AnswerNames, localFindings: LocalFinding[]): Uint8Array {
  const lines: string[] = [
    invoice.status === 'invalid'
      ? `${ERRORS_MARK}: factura ${invoice.invoiceId} a fost respinsă de Efact înainte de trimitere (validare locală) / invoice refused by Efact's validation before sending`
      : `${ERRORS_MARK}: factura ${invoice.invoiceId} a fost respinsă de ANAF (NOK) / invoice refused by ANAF`,
    `Fișier / file: ${names.file}`,
    `Mediu / environment: ${invoice.environment}`,
    `Id încărcare / upload id: ${invoice.uploadId ?? '-'}`,
    `Id descărcare / download id: ${invoice.downloadId ?? '-'}`,
    `Data răspunsului / answered at: ${invoice.resolvedAt?.toISOString() ?? '-'}`,
    '',
    'Mesajele ANAF / ANAF\'s messages:',
  ];
  const anaf = invoice.messages.filter((m) => m.source !== 'local');
  if (anaf.length === 0) lines.push(invoice.status === 'invalid' ? '  (netrimisă la ANAF / not sent to ANAF)' : '  (ANAF nu a dat niciun mesaj / no message from ANAF)');
  for (const m of anaf) lines.push(`  - ${m.text}`);
  const local: LocalFinding[] = [
    ...localFindings,
    // Local messages without a rule id (the findings with one come through localFindings).
    ...invoice.messages.filter((m) => m.source === 'local' && m.ruleId === undefined).map((m): LocalFinding => ({ rule: '', severity: 'error', message: m.text })),
  ];
  if (local.length > 0) {
    lines.push('', 'Verificări locale / local validation:');
    for (const f of local) {
      // ANAF's texts usually start with their own [rule id]: not repeated.
      const prefix = f.rule && !f.message.startsWith(`[${f.rule}]`) ? `[${f.rule}] ` : '';
      lines.push(`  - ${f.severity === 'warning' ? '(avertisment / warning) ' : ''}${prefix}${f.message}${f.location ? ` (${f.location})` : ''}`);
    }
  }
  lines.push('', 'Corectați factura în ERP și generați din nou XML-ul; Efact îl preia și îl trimite. / Fix the invoice in the ERP and export it again; Efact takes it from here.');
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** `<name>.errors.txt` for a file Efact could not take at all (malformed, another supplier's, unreadable). */
export function refusalText(file: string, code: string, message: string): Uint8Array {
  const lines = [
    `${ERRORS_MARK}: fișierul ${file} nu a fost preluat / the file was not taken`,
    `Cod / code: ${code}`,
    '',
    message,
    '',
    'Corectați fișierul în ERP și generați-l din nou; Efact îl preia când se schimbă. / Fix it in the ERP and export it again; Efact looks again when it changes.',
  ];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
