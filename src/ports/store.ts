import type { Company, Environment } from '../domain/company.js';
import type { ApiKey, Role } from '../domain/access.js';
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
  /** Name of the OAuth profile; undefined keeps the stored value. */
  oauthProfile?: string | null;
}

/** Fields of a company changed by `efact company update` / PATCH; undefined leaves a field alone. */
export interface CompanyPatch {
  shortName?: string;
  name?: string;
  environment?: Environment;
  exportFolder?: string | null;
  partitionFilter?: string | null;
  oauthProfile?: string | null;
}

export interface NewApiKey {
  name: string;
  role: Role;
  companies: string[] | null;
  /** SHA-256 (hex) of the key; the key itself is never stored. */
  hash: string;
  prefix: string;
}

/** Failed sign-ins of one client in its current window, as every instance sharing the store counts them. */
export interface SignInFailures {
  count: number;
  windowEndsAt: Date;
}

/** The first answer to a POST with an Idempotency-Key, replayed to repeats for 24 h. */
export interface IdempotencyRecord {
  principal: string;
  key: string;
  /** SHA-256 of method, path and body: a repeat with another body is refused. */
  requestHash: string;
  method: string;
  path: string;
  /** Null while the first request is still being answered. */
  status: number | null;
  contentType: string | null;
  location: string | null;
  body: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export type IdempotencyClaim =
  /** The key is new (or its record expired): act, then complete or release it. */
  | { kind: 'claimed' }
  /** Seen before: replay it, or refuse when the request differs or is still running. */
  | { kind: 'seen'; record: IdempotencyRecord };

export interface NewInvoice {
  companyId: number;
  environment: Environment;
  metadata: InvoiceMetadata;
  flags: UploadFlags;
  b2c: boolean;
  xml: Uint8Array;
  contentHash: string;
  origin: InvoiceOrigin;
  /**
   * Local validation refused it: stored as `invalid` with these messages (never uploaded).
   * Absent: stored `queued`. Warnings that did not block may still be recorded via `messages`.
   */
  rejected?: boolean;
  /** Local findings kept with the invoice (shown like ANAF's NOK messages). */
  messages?: PlatformMessage[];
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
  /** Only these companies (an API key's scope); empty finds nothing. */
  companyIds?: number[];
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
   * matches, or (without a filter) what no live filtered instance covers. (The engine's download
   * pass claims under the same split; its status pass is done per company by the list lease's holder.)
   */
  mine?: boolean;
}

/** Columns the dashboard's grid sorts by (each backed by a (company_id, column, id) index). */
export const GRID_SORTS = ['created', 'uploaded', 'status', 'series', 'number', 'branch', 'user'] as const;
export type GridSort = (typeof GRID_SORTS)[number];

/** Equality filters of the grid; every one is optional. */
export interface GridFilter {
  companyId: number;
  environment?: Environment;
  status?: InvoiceStatus[];
  series?: string;
  number?: string;
  branch?: string;
  user?: string;
  computer?: string;
}

/** Where the previous page ended: the sort column's value there (null sorts first) and its id. */
export interface GridCursor {
  value: string | number | null;
  id: number;
}

export interface GridQuery extends GridFilter {
  sort: GridSort;
  dir: 'asc' | 'desc';
  after?: GridCursor;
  limit: number;
}

/** One page of the grid; `next` is where the following page starts, null on the last. */
export interface GridPage {
  items: Invoice[];
  next: GridCursor | null;
}

/** An event with the company it concerns, for live updates. */
export interface FeedEvent extends InvoiceEvent {
  companyId: number;
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
  /**
   * 'claimed' from the claim until right before the request leaves (nothing sent yet: a claim
   * left by a stopped process goes back to the queue); 'sending' from then until the answer is
   * known (a 'sending' attempt found at start-up is uncertain); `startedAt` is the moment of
   * sending once 'sending'.
   */
  outcome: 'claimed' | 'sending' | 'accepted' | 'refused' | 'not-sent' | 'uncertain' | 'reconciled';
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
  /** Adds a company, or updates (and brings back, if removed) the one with the same CIF. */
  upsertCompany(input: CompanyInput): Promise<Company>;
  /** Companies not removed, in creation order; `includeRemoved` lists removed ones too. */
  listCompanies(options?: { includeRemoved?: boolean }): Promise<Company[]>;
  /** The company with this CIF, removed or not (see `removedAt`). */
  getCompanyByCif(cif: string): Promise<Company | null>;
  /** The company with this id, removed or not (see `removedAt`). */
  getCompany(id: number): Promise<Company | null>;
  setSendingEnabled(companyId: number, enabled: boolean): Promise<void>;
  /** Changes the given fields; UNKNOWN_COMPANY when there is no such company. */
  updateCompany(companyId: number, patch: CompanyPatch): Promise<Company>;
  /** Marks the company removed (or brings it back with null); invoices and archive stay. */
  setCompanyRemoved(companyId: number, removedAt: Date | null): Promise<Company>;

  // API keys (access control)
  /** CONFLICT when the name is taken. */
  createApiKey(input: NewApiKey): Promise<ApiKey>;
  listApiKeys(): Promise<ApiKey[]>;
  /** The key with this hash, revoked or not; records the use time when `usedAt` is given. */
  findApiKeyByHash(hash: string, usedAt?: Date): Promise<ApiKey | null>;
  /** Revokes by id or name; null when there is no such key. Revoking twice keeps the first time. */
  revokeApiKey(idOrName: number | string, at: Date): Promise<ApiKey | null>;
  /** Whether any key was ever created (revoked ones count: access control never switches off by itself). */
  hasApiKeys(): Promise<boolean>;

  // failed sign-ins, counted together by every instance sharing the store
  /** Counts one failure of `client`: into its current window, or a new one of `windowMs` when that is over. */
  recordSignInFailure(client: string, at: Date, windowMs: number): Promise<SignInFailures>;
  /** The failures of `client` in a window not over at `at`; null when none. */
  signInFailures(client: string, at: Date): Promise<SignInFailures | null>;
  /** Deletes windows over at `at`; returns how many. */
  purgeSignInFailures(at: Date): Promise<number>;

  // repeated requests (Idempotency-Key)
  /** Reserves (principal, key) for a new request, or returns what is known of it. Expired records are replaced. */
  claimIdempotencyKey(record: Pick<IdempotencyRecord, 'principal' | 'key' | 'requestHash' | 'method' | 'path' | 'createdAt' | 'expiresAt'>): Promise<IdempotencyClaim>;
  /** Stores the first answer. */
  completeIdempotencyKey(principal: string, key: string, answer: Pick<IdempotencyRecord, 'status' | 'contentType' | 'location' | 'body'>): Promise<void>;
  /** Forgets a reservation whose request failed on the server's side, so that a retry acts. */
  releaseIdempotencyKey(principal: string, key: string): Promise<void>;
  /** Deletes records expired at `now`; returns how many. */
  purgeIdempotencyKeys(now: Date): Promise<number>;

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
   * Claims up to `limit` queued invoices of a company whose nextAttemptAt has passed (within this
   * handle's partition and the company's own filter), moves them to `uploading` and writes a
   * 'claimed' upload attempt for each, in one transaction.
   */
  claimForUpload(
    companyId: number,
    environment: Environment,
    limit: number,
    now: Date,
    cause: ChangeCause,
  ): Promise<Array<{ invoice: Invoice; attempt: UploadAttempt }>>;
  /**
   * Claims up to `limit` `ok` invoices of a company whose answer is to be downloaded (download
   * id known, next attempt due), within this instance's partition share, and leases each for
   * `leaseMs` (written as its next attempt time): no other instance takes them meanwhile, and
   * those of an instance that died become claimable again when the lease runs out.
   */
  claimForDownload(companyId: number, environment: Environment, limit: number, now: Date, leaseMs: number): Promise<Invoice[]>;
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
  /**
   * claimed → sending right before the upload request leaves (compare-and-set, fenced). False:
   * the claim was released meanwhile, and the request must not be sent.
   */
  markAttemptSending(attemptId: number, at: Date): Promise<boolean>;
  /**
   * Gives claims that never reached 'sending' back to the queue (attempt 'not-sent', invoice
   * uploading → queued): those of `instance`, and/or those claimed before `claimedBefore`.
   * Returns the invoice ids released.
   */
  releaseClaims(query: { instance?: string; claimedBefore?: Date }, cause: ChangeCause): Promise<number[]>;
  /** Attempts not finished: 'claimed', 'sending', or 'uncertain' (to reconcile before anything is re-sent). */
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

  // the dashboard's reads (invoice-grid.ts, dashboard-stats.ts)
  /** One keyset page of the grid, sorted by a column, filtered by equality. */
  queryGrid(query: GridQuery): Promise<GridPage>;
  /** How many invoices match, counting at most `cap` (exact counts over millions of rows are slow). */
  countGrid(filter: GridFilter, cap: number): Promise<{ count: number; capped: boolean }>;
  /** Invoices created per UTC day and current status since `since`. */
  invoicesPerDay(companyId: number | undefined, since: Date): Promise<Array<{ day: string; status: InvoiceStatus; count: number }>>;
  /** Platform calls per minute (from the call ledger) since `since`. */
  callsPerMinute(since: Date): Promise<Array<{ minute: Date; count: number }>>;
  /** Events after `afterId` (all invoices), oldest first: the live feed's source. */
  listEventsSince(afterId: number, limit: number): Promise<FeedEvent[]>;
  /** The newest event's id, 0 when there is none. */
  lastEventId(): Promise<number>;

  // company-wide chores done by one instance at a time (e.g. listing a company's messages)
  /** Takes or renews the lease `name` for `holder`; false while another holder's lease runs. */
  takeCompanyLease(name: string, holder: string, leaseMs: number): Promise<boolean>;
  /** Gives the lease up if `holder` has it, so another instance takes the chore over at once. */
  releaseCompanyLease(name: string, holder: string): Promise<void>;

  // small durable key/value state of the engine (list watermarks, idle back-off)
  getState(key: string): Promise<string | null>;
  setState(key: string, value: string): Promise<void>;
  /** Drops the keys starting with `prefix` last written before `before`; how many went. */
  deleteStateBefore(prefix: string, before: Date): Promise<number>;
}
