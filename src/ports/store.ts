import type { Company, Environment } from '../domain/company.js';
import type {
  Invoice,
  InvoiceMetadata,
  InvoiceOrigin,
  PlatformMessage,
  UploadFlags,
} from '../domain/invoice.js';
import type { InvoiceStatus } from '../domain/invoice-status.js';
import type { PlatformCallRecord } from './call-ledger.js';
import type { MessageKind } from './platform.js';

/** Who changed something and why; every state change is an append-only event. */
export interface ChangeCause {
  /** serverId of the instance (or "cli", "api"). */
  instance: string;
  /** Short machine-readable reason, e.g. "upload-accepted", "status:ok", "promote". */
  cause: string;
  /** Free-form facts (platform message, upload id, ...). */
  details?: Record<string, unknown>;
}

export interface InvoiceEvent {
  id: number;
  invoiceId: number;
  at: Date;
  instance: string;
  fromStatus: InvoiceStatus | null;
  toStatus: InvoiceStatus;
  cause: string;
  details: Record<string, unknown> | null;
}

export interface CompanyInput {
  cif: string;
  shortName: string;
  name: string;
  environment: Environment;
  exportFolder?: string | null;
  partitionFilter?: string | null;
}

export interface NewInvoice {
  companyId: number;
  environment: Environment;
  metadata: InvoiceMetadata;
  flags: UploadFlags;
  b2c: boolean;
  xml: Uint8Array;
  contentHash: string;
  origin: InvoiceOrigin;
}

export type IntakeResult =
  /** Stored and queued. */
  | { kind: 'created'; invoice: Invoice }
  /** The very same bytes are already known for this company: nothing queued again. */
  | { kind: 'duplicate'; invoice: Invoice }
  /** Replaced a nok / invalid / needs-attention / still-queued invoice with the same series and number. */
  | { kind: 'superseded'; invoice: Invoice; replaced: Invoice }
  /** Another file with this series and number is already at the platform (uploading or later). */
  | { kind: 'conflict'; existing: Invoice };

/** Fields a transition may set alongside the status. `undefined` leaves a field alone. */
export interface InvoicePatch {
  environment?: Environment;
  uploadId?: string | null;
  uploadedAt?: Date | null;
  downloadId?: string | null;
  resolvedAt?: Date | null;
  downloadedAt?: Date | null;
  archivePath?: string | null;
  messages?: PlatformMessage[];
  nextAttemptAt?: Date | null;
  lastError?: string | null;
  /** Added to the invoice's platform call counter. */
  addPlatformCalls?: number;
  /** Added to the invoice's attempt counter. */
  addAttempts?: number;
}

export interface TransitionRequest {
  invoiceId: number;
  /** Compare-and-set: the change happens only if the invoice is still in this state. */
  from: InvoiceStatus;
  to: InvoiceStatus;
  patch?: InvoicePatch;
  cause: ChangeCause;
  /** Closes the upload attempt behind this change in the same transaction (whether or not the CAS succeeds). */
  attempt?: { id: number; outcome: UploadAttempt['outcome']; uploadId: string | null; note: string | null };
}

export interface InvoiceQuery {
  companyId?: number;
  environment?: Environment;
  status?: InvoiceStatus | InvoiceStatus[];
  series?: string;
  number?: string;
  /** Inclusive bounds on createdAt. */
  from?: Date;
  to?: Date;
  /** Keyset paging: invoices with id greater than this. */
  afterId?: number;
  limit: number;
  order?: 'asc' | 'desc';
  /**
   * Only the invoices this instance's partition covers, as claims see them: its own filter's
   * matches, or (without a filter) what no live filtered instance covers. The engine's status and
   * download passes use it so instances do not each ask the platform about every invoice.
   */
  mine?: boolean;
}

/** A write-ahead record of one upload attempt (ARCHITECTURE rule 1). */
export interface UploadAttempt {
  id: number;
  invoiceId: number;
  companyId: number;
  environment: Environment;
  instance: string;
  contentHash: string;
  startedAt: Date;
  finishedAt: Date | null;
  /** 'sending' until the answer is known; a 'sending' attempt found at start-up is uncertain. */
  outcome: 'sending' | 'accepted' | 'refused' | 'not-sent' | 'uncertain' | 'reconciled';
  uploadId: string | null;
  note: string | null;
}

export interface IncomingMessage {
  id: number;
  companyId: number;
  environment: Environment;
  /** ANAF message id (what descarcare takes); opaque. */
  messageId: string;
  uploadId: string;
  kind: MessageKind;
  rawType: string;
  details: string;
  platformCreatedAt: Date | null;
  discoveredAt: Date;
  downloadedAt: Date | null;
  archivePath: string | null;
  /** Parsed summary of a received invoice (supplier, number, date, amount), once downloaded. */
  summary: Record<string, unknown> | null;
}

export interface IncomingMessageInput {
  companyId: number;
  environment: Environment;
  messageId: string;
  uploadId: string;
  kind: MessageKind;
  rawType: string;
  details: string;
  platformCreatedAt: Date | null;
}

export interface StatusCount {
  companyId: number;
  environment: Environment;
  status: InvoiceStatus;
  count: number;
}

/**
 * Persistence for everything Efact knows. One implementation over SQLite (default) and
 * PostgreSQL (scale-out), sharing one query layer.
 */
export interface Store {
  /** Applies pending migrations; safe when several instances start together. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  // companies
  upsertCompany(input: CompanyInput): Promise<Company>;
  listCompanies(): Promise<Company[]>;
  getCompanyByCif(cif: string): Promise<Company | null>;
  getCompany(id: number): Promise<Company | null>;
  setSendingEnabled(companyId: number, enabled: boolean): Promise<void>;

  // intake
  /** Durable before it returns: the XML and the invoice row are committed together. */
  intake(invoice: NewInvoice, cause: ChangeCause): Promise<IntakeResult>;

  // reads
  getInvoice(id: number): Promise<Invoice | null>;
  getInvoiceXml(id: number): Promise<Uint8Array | null>;
  listInvoices(query: InvoiceQuery): Promise<Invoice[]>;
  countByStatus(companyId?: number): Promise<StatusCount[]>;
  listEvents(invoiceId: number): Promise<InvoiceEvent[]>;
  findByUploadIds(companyId: number, environment: Environment, uploadIds: string[]): Promise<Invoice[]>;

  // lifecycle
  /**
   * Claims up to `limit` queued invoices of a company whose nextAttemptAt has passed, moves them
   * to `uploading` and writes an upload attempt for each, in one transaction.
   */
  claimForUpload(
    companyId: number,
    environment: Environment,
    limit: number,
    now: Date,
    cause: ChangeCause,
  ): Promise<Array<{ invoice: Invoice; attempt: UploadAttempt }>>;
  /**
   * Applies the transitions in one transaction. Each is compare-and-set on `from`; the result
   * holds the updated invoice, or null where the invoice was no longer in `from`.
   */
  transition(requests: TransitionRequest[]): Promise<Array<Invoice | null>>;
  finishAttempt(
    attemptId: number,
    outcome: UploadAttempt['outcome'],
    uploadId: string | null,
    note: string | null,
    at: Date,
  ): Promise<void>;
  /** Attempts still 'sending' or marked 'uncertain': to reconcile before anything is re-sent. */
  listOpenAttempts(): Promise<UploadAttempt[]>;
  /** All attempts of an invoice, oldest first. */
  listAttempts(invoiceId: number): Promise<UploadAttempt[]>;
  /**
   * "Reset eFact": every test invoice of the company becomes a queued production invoice, with
   * upload/download ids and dates cleared; the company moves to prod. Returns how many moved.
   */
  promoteToProd(companyId: number, cause: ChangeCause): Promise<number>;

  // platform call ledger
  recordCalls(calls: PlatformCallRecord[]): Promise<void>;
  countCalls(filter: { invoiceId?: number; companyCif?: string; since?: Date }): Promise<number>;

  // incoming messages
  /** Inserts messages not seen before (by company, environment, messageId); returns the new ones. */
  addIncomingMessages(messages: IncomingMessageInput[]): Promise<IncomingMessage[]>;
  listIncomingMessages(companyId: number, limit: number): Promise<IncomingMessage[]>;
  markIncomingDownloaded(id: number, archivePath: string, summary: Record<string, unknown> | null, at: Date): Promise<void>;

  // small durable key/value state of the engine (list watermarks, idle back-off)
  getState(key: string): Promise<string | null>;
  setState(key: string, value: string): Promise<void>;
}
