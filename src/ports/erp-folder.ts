/**
 * What the ERP-folder round trip keeps durably (migration 0006): an index of the export folder's
 * files (so a restart re-reads nothing that has not changed) and, per invoice, what has been
 * written back beside its file (so a crash or a read-only folder is caught up later).
 */
import type { Invoice } from '../domain/invoice.js';
import type { InvoiceStatus } from '../domain/invoice-status.js';

/** One file of an export folder as last handled. */
export interface FolderFileEntry {
  /** Relative to the export folder, with `/` separators (e.g. `Efact2026_11/Fact/Fact1.XML`). */
  path: string;
  size: number;
  mtimeMs: number;
  /** SHA-256 (hex) of the bytes that were handled. */
  hash: string;
  /** Taken as an invoice (new, duplicate or superseding), or refused for a reason in the file itself. */
  outcome: 'taken' | 'rejected';
  invoiceId: number | null;
  /** For a refusal: the public error code and message shown to people. */
  code: string | null;
  message: string | null;
  /** State of the sidecar `<name>.json` when handled ("none" when there was none). */
  sidecar: string;
}

/** The index of one company's export folder. */
export interface FolderIndex {
  load(): Promise<FolderFileEntry[]>;
  put(entry: FolderFileEntry): Promise<void>;
  remove(path: string): Promise<void>;
}

/** A failed write-back, for people to see (status, API). */
export interface WriteBackError {
  invoiceId: number;
  invoiceNumber: string;
  sourcePath: string | null;
  status: InvoiceStatus;
  error: string;
  at: Date;
  attempts: number;
  nextTryAt: Date | null;
}

/** What `efact status` groups by month. */
export interface MonthRow {
  status: InvoiceStatus;
  issueDate: string | null;
  sourcePath: string | null;
}

export interface ErpFolderStore {
  folderIndex(companyId: number): FolderIndex;
  /**
   * Invoices of the company that came from its export folder and whose current state (status
   * and updatedAt) has not been written back yet: changed at or after `since`, oldest change
   * first, plus failed ones whose retry time has come.
   */
  listWriteBackDue(companyId: number, since: Date, now: Date, limit: number): Promise<Invoice[]>;
  /** The invoice that superseded this one, if any. */
  findSuccessor(invoiceId: number): Promise<Invoice | null>;
  markWrittenBack(invoice: Invoice): Promise<void>;
  markWriteBackFailed(invoice: Invoice, error: string, nextTryAt: Date): Promise<void>;
  listWriteBackErrors(companyId: number, limit: number): Promise<WriteBackError[]>;
  countWriteBackErrors(companyId: number): Promise<number>;
  listMonthRows(companyId: number): Promise<MonthRow[]>;
}
