import type { Environment } from './company.js';
import type { InvoiceStatus } from './invoice-status.js';

/** ANAF upload standards: UBL invoice, CN credit note, CII, RASP (buyer message). */
export type UploadStandard = 'UBL' | 'CN' | 'CII' | 'RASP';

/** Optional upload flags ANAF accepts (each sent as `=DA`). */
export interface UploadFlags {
  /** Buyer outside Romania. */
  extern?: boolean;
  /** Self-billing: the buyer issues the invoice in the supplier's name. */
  autofactura?: boolean;
  /** Issued by an enforcement officer (Registrul RO e-Factura executari silite). */
  executare?: boolean;
}

/** One message from the platform about an invoice (an error line of a NOK, a refusal reason). */
export interface PlatformMessage {
  text: string;
  /** Where it came from: the upload answer, the status answer, the downloaded error document, local checks. */
  source: 'upload' | 'status' | 'answer' | 'local';
  /** Local validation only: the rule that failed (e.g. BR-RO-010), its severity and where. */
  ruleId?: string;
  severity?: 'fatal' | 'warning';
  location?: string;
  line?: number;
}

/** What intake reads from the XML itself. */
export interface InvoiceMetadata {
  standard: UploadStandard;
  series: string;
  number: string;
  /** The full invoice id as written in the XML (cbc:ID). */
  invoiceId: string;
  issueDate: string | null;
  supplierCif: string | null;
  buyerCif: string | null;
  customizationId: string | null;
  currency: string | null;
  payableAmount: string | null;
}

/** Where an invoice came from: the manuals' computer / user / branch columns and the source file. */
export interface InvoiceOrigin {
  channel: 'folder' | 'cli' | 'api' | 'demo';
  sourcePath: string | null;
  computer: string | null;
  user: string | null;
  branch: string | null;
}

export interface Invoice {
  id: number;
  companyId: number;
  environment: Environment;
  status: InvoiceStatus;
  standard: UploadStandard;
  flags: UploadFlags;
  /** Business-to-consumer invoices go to `uploadb2c`. */
  b2c: boolean;
  series: string;
  number: string;
  invoiceId: string;
  issueDate: string | null;
  supplierCif: string | null;
  /** SHA-256 (hex) of the exact bytes received; identical resubmissions are recognised by it. */
  contentHash: string;
  sizeBytes: number;
  origin: InvoiceOrigin;
  /** ANAF `index_incarcare`: an opaque string, never a number. */
  uploadId: string | null;
  uploadedAt: Date | null;
  /** ANAF `id_descarcare`: an opaque string, never a number. */
  downloadId: string | null;
  /** When the platform's outcome (ok / nok) became known. */
  resolvedAt: Date | null;
  downloadedAt: Date | null;
  /** Path of the archived answer ZIP, relative to the data folder. */
  archivePath: string | null;
  messages: PlatformMessage[];
  /** Platform calls spent on this invoice (the efficiency figure the benchmark checks). */
  platformCalls: number;
  /** The invoice this one replaced (a corrected file after NOK). */
  supersedesId: number | null;
  /** Earliest time the engine should look at it again (retry back-off, status pacing). */
  nextAttemptAt: Date | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}
