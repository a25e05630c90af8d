import type { Insertable, Selectable } from 'kysely';
import type { Company } from '../../domain/company.js';
import type { Invoice, PlatformMessage, UploadFlags, UploadStandard } from '../../domain/invoice.js';
import type { PlatformCallRecord } from '../../ports/call-ledger.js';
import type { MessageKind } from '../../ports/platform.js';
import type {
  ChangeCause,
  IncomingMessage,
  IncomingMessageInput,
  InvoiceEvent,
  InvoicePatch,
  NewInvoice,
  UploadAttempt,
} from '../../ports/store.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import type {
  CompaniesTable,
  DbInt,
  IncomingMessagesTable,
  InvoiceEventsTable,
  InvoicesTable,
  PlatformCallsTable,
  UploadAttemptsTable,
} from './schema.js';

/**
 * Row ↔ domain mapping, in one place. Drivers disagree on 64-bit integers (number from
 * better-sqlite3, string from node-postgres), so every id and timestamp passes through `num`.
 */
export function num(v: DbInt): number {
  return typeof v === 'number' ? v : Number(v);
}

export function date(v: DbInt): Date {
  return new Date(num(v));
}

export function dateOrNull(v: DbInt | null): Date | null {
  return v === null ? null : new Date(num(v));
}

export function millis(d: Date): number {
  return d.getTime();
}

export function millisOrNull(d: Date | null): number | null {
  return d === null ? null : d.getTime();
}

export function flag(b: boolean): 0 | 1 {
  return b ? 1 : 0;
}

function json<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function detailsJson(details: Record<string, unknown> | undefined | null): string | null {
  return details === undefined || details === null ? null : JSON.stringify(details);
}

/** Buffer is a Uint8Array, but a plain view keeps deep equality with what intake was given. */
export function bytes(v: Uint8Array): Uint8Array {
  return v.constructor === Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** better-sqlite3 binds Buffers, not bare Uint8Arrays; node-postgres wants a Buffer too. */
export function toBuffer(v: Uint8Array): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function companyFromRow(r: Selectable<CompaniesTable>): Company {
  return {
    id: num(r.id),
    cif: r.cif,
    shortName: r.short_name,
    name: r.name,
    environment: r.environment,
    exportFolder: r.export_folder,
    partitionFilter: r.partition_filter,
    sendingEnabled: num(r.sending_enabled) === 1,
    oauthProfile: r.oauth_profile,
    removedAt: dateOrNull(r.removed_at),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
  };
}

export function invoiceFromRow(r: Selectable<InvoicesTable>): Invoice {
  return {
    id: num(r.id),
    companyId: num(r.company_id),
    environment: r.environment,
    status: r.status,
    standard: r.standard as UploadStandard,
    flags: JSON.parse(r.flags) as UploadFlags,
    b2c: num(r.b2c) === 1,
    series: r.series,
    number: r.number,
    invoiceId: r.document_id,
    issueDate: r.issue_date,
    supplierCif: r.supplier_cif,
    contentHash: r.content_hash,
    sizeBytes: r.size_bytes,
    origin: {
      channel: r.origin_channel as Invoice['origin']['channel'],
      sourcePath: r.origin_path,
      computer: r.origin_computer,
      user: r.origin_user,
      branch: r.origin_branch,
    },
    uploadId: r.upload_id,
    uploadedAt: dateOrNull(r.uploaded_at),
    downloadId: r.download_id,
    resolvedAt: dateOrNull(r.resolved_at),
    downloadedAt: dateOrNull(r.downloaded_at),
    archivePath: r.archive_path,
    messages: JSON.parse(r.messages) as PlatformMessage[],
    platformCalls: r.platform_calls,
    supersedesId: r.supersedes_id === null ? null : num(r.supersedes_id),
    nextAttemptAt: dateOrNull(r.next_attempt_at),
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
  };
}

export function newInvoiceRow(
  input: NewInvoice,
  now: Date,
  supersedesId: number | null,
): Insertable<InvoicesTable> {
  const m = input.metadata;
  const at = millis(now);
  return {
    company_id: input.companyId,
    environment: input.environment,
    status: input.rejected === true ? 'invalid' : 'queued',
    standard: m.standard,
    flags: JSON.stringify(input.flags),
    b2c: flag(input.b2c),
    series: m.series,
    number: m.number,
    document_id: m.invoiceId,
    issue_date: m.issueDate,
    supplier_cif: m.supplierCif,
    buyer_cif: m.buyerCif,
    customization_id: m.customizationId,
    currency: m.currency,
    payable_amount: m.payableAmount,
    content_hash: input.contentHash,
    size_bytes: input.xml.byteLength,
    origin_channel: input.origin.channel,
    origin_path: input.origin.sourcePath,
    origin_computer: input.origin.computer,
    origin_user: input.origin.user,
    origin_branch: input.origin.branch,
    upload_id: null,
    uploaded_at: null,
    download_id: null,
    resolved_at: null,
    downloaded_at: null,
    archive_path: null,
    messages: JSON.stringify(input.messages ?? []),
    platform_calls: 0,
    supersedes_id: supersedesId,
    next_attempt_at: null,
    attempts: 0,
    last_error: null,
    created_at: at,
    updated_at: at,
  };
}

/** Plain column values a patch sets; the counters are increments and handled by the caller. */
export function patchColumns(patch: InvoicePatch): Partial<Record<keyof InvoicesTable, string | number | null>> {
  const out: Partial<Record<keyof InvoicesTable, string | number | null>> = {};
  if (patch.environment !== undefined) out.environment = patch.environment;
  if (patch.uploadId !== undefined) out.upload_id = patch.uploadId;
  if (patch.uploadedAt !== undefined) out.uploaded_at = millisOrNull(patch.uploadedAt);
  if (patch.downloadId !== undefined) out.download_id = patch.downloadId;
  if (patch.resolvedAt !== undefined) out.resolved_at = millisOrNull(patch.resolvedAt);
  if (patch.downloadedAt !== undefined) out.downloaded_at = millisOrNull(patch.downloadedAt);
  if (patch.archivePath !== undefined) out.archive_path = patch.archivePath;
  if (patch.messages !== undefined) out.messages = JSON.stringify(patch.messages);
  if (patch.nextAttemptAt !== undefined) out.next_attempt_at = millisOrNull(patch.nextAttemptAt);
  if (patch.lastError !== undefined) out.last_error = patch.lastError;
  return out;
}

export function eventRow(
  invoiceId: number,
  at: Date,
  from: InvoiceStatus | null,
  to: InvoiceStatus,
  cause: ChangeCause,
  extraDetails?: Record<string, unknown>,
): Insertable<InvoiceEventsTable> {
  const details = extraDetails === undefined ? cause.details : { ...cause.details, ...extraDetails };
  return {
    invoice_id: invoiceId,
    at: millis(at),
    instance: cause.instance,
    from_status: from,
    to_status: to,
    cause: cause.cause,
    details: detailsJson(details),
  };
}

export function eventFromRow(r: Selectable<InvoiceEventsTable>): InvoiceEvent {
  return {
    id: num(r.id),
    invoiceId: num(r.invoice_id),
    at: date(r.at),
    instance: r.instance,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    cause: r.cause,
    details: json<Record<string, unknown>>(r.details),
  };
}

export function attemptFromRow(r: Selectable<UploadAttemptsTable>): UploadAttempt {
  return {
    id: num(r.id),
    invoiceId: num(r.invoice_id),
    companyId: num(r.company_id),
    environment: r.environment,
    instance: r.instance,
    contentHash: r.content_hash,
    startedAt: date(r.started_at),
    finishedAt: dateOrNull(r.finished_at),
    outcome: r.outcome,
    uploadId: r.upload_id,
    note: r.note,
  };
}

export function callRow(c: PlatformCallRecord): Insertable<PlatformCallsTable> {
  return {
    at: millis(c.at),
    instance: c.instance,
    platform: c.platform,
    environment: c.environment,
    endpoint: c.endpoint,
    company_cif: c.companyCif,
    invoice_id: c.invoiceId,
    http_status: c.httpStatus,
    duration_ms: Math.round(c.durationMs),
    outcome: c.outcome,
    message: c.message,
  };
}

export function incomingRow(m: IncomingMessageInput, discoveredAt: Date): Insertable<IncomingMessagesTable> {
  return {
    company_id: m.companyId,
    environment: m.environment,
    message_id: m.messageId,
    upload_id: m.uploadId,
    kind: m.kind,
    raw_type: m.rawType,
    details: m.details,
    platform_created_at: millisOrNull(m.platformCreatedAt),
    discovered_at: millis(discoveredAt),
    downloaded_at: null,
    archive_path: null,
    summary: null,
  };
}

export function incomingFromRow(r: Selectable<IncomingMessagesTable>): IncomingMessage {
  return {
    id: num(r.id),
    companyId: num(r.company_id),
    environment: r.environment,
    messageId: r.message_id,
    uploadId: r.upload_id,
    kind: r.kind as MessageKind,
    rawType: r.raw_type,
    details: r.details,
    platformCreatedAt: dateOrNull(r.platform_created_at),
    discoveredAt: date(r.discovered_at),
    downloadedAt: dateOrNull(r.downloaded_at),
    archivePath: r.archive_path,
    summary: json<Record<string, unknown>>(r.summary),
  };
}
