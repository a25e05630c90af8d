/**
 * The one place domain objects become API JSON. Every route answers through these functions so
 * an invoice looks the same wherever it appears. Dates are ISO 8601 strings; ANAF's ids
 * (uploadId, downloadId) stay opaque strings, never numbers, because ANAF does not promise
 * they fit one.
 */
import type { Company, Environment } from '../domain/company.js';
import type { Invoice, PlatformMessage, UploadStandard } from '../domain/invoice.js';
import { ALL_STATUSES, type InvoiceStatus } from '../domain/invoice-status.js';
import type { CompanyEngineState } from '../engine/engine-control.js';
import type { InvoiceEvent, StatusCount, UploadAttempt } from '../ports/store.js';

export type Iso = string;

function iso(d: Date | null): Iso | null {
  return d === null ? null : d.toISOString();
}

export interface InvoiceJson {
  id: number;
  companyId: number;
  companyCif: string | null;
  environment: Environment;
  status: InvoiceStatus;
  standard: UploadStandard;
  series: string;
  number: string;
  invoiceId: string;
  issueDate: string | null;
  supplierCif: string | null;
  b2c: boolean;
  flags: { extern: boolean; autofactura: boolean; executare: boolean };
  contentHash: string;
  sizeBytes: number;
  origin: { channel: string; sourcePath: string | null; computer: string | null; user: string | null; branch: string | null };
  uploadId: string | null;
  uploadedAt: Iso | null;
  downloadId: string | null;
  resolvedAt: Iso | null;
  downloadedAt: Iso | null;
  /** Whether GET /invoices/{id}/archive has something to give; the path itself stays internal. */
  archived: boolean;
  messages: PlatformMessage[];
  platformCalls: number;
  attempts: number;
  supersedesId: number | null;
  nextAttemptAt: Iso | null;
  lastError: string | null;
  createdAt: Iso;
  updatedAt: Iso;
}

export function serializeInvoice(inv: Invoice, companyCif: string | null): InvoiceJson {
  return {
    id: inv.id,
    companyId: inv.companyId,
    companyCif,
    environment: inv.environment,
    status: inv.status,
    standard: inv.standard,
    series: inv.series,
    number: inv.number,
    invoiceId: inv.invoiceId,
    issueDate: inv.issueDate,
    supplierCif: inv.supplierCif,
    b2c: inv.b2c,
    flags: {
      extern: inv.flags.extern === true,
      autofactura: inv.flags.autofactura === true,
      executare: inv.flags.executare === true,
    },
    contentHash: inv.contentHash,
    sizeBytes: inv.sizeBytes,
    origin: {
      channel: inv.origin.channel,
      sourcePath: inv.origin.sourcePath,
      computer: inv.origin.computer,
      user: inv.origin.user,
      branch: inv.origin.branch,
    },
    uploadId: inv.uploadId === null ? null : String(inv.uploadId),
    uploadedAt: iso(inv.uploadedAt),
    downloadId: inv.downloadId === null ? null : String(inv.downloadId),
    resolvedAt: iso(inv.resolvedAt),
    downloadedAt: iso(inv.downloadedAt),
    archived: inv.archivePath !== null,
    messages: inv.messages.map((m) => ({
      text: m.text,
      source: m.source,
      ...(m.ruleId !== undefined ? { ruleId: m.ruleId } : {}),
      ...(m.severity !== undefined ? { severity: m.severity } : {}),
      ...(m.location !== undefined ? { location: m.location } : {}),
      ...(m.line !== undefined ? { line: m.line } : {}),
    })),
    platformCalls: inv.platformCalls,
    attempts: inv.attempts,
    supersedesId: inv.supersedesId,
    nextAttemptAt: iso(inv.nextAttemptAt),
    lastError: inv.lastError,
    createdAt: inv.createdAt.toISOString(),
    updatedAt: inv.updatedAt.toISOString(),
  };
}

export function serializeEvent(e: InvoiceEvent) {
  return {
    id: e.id,
    at: e.at.toISOString(),
    instance: e.instance,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    cause: e.cause,
    details: e.details,
  };
}

export function serializeAttempt(a: UploadAttempt) {
  return {
    id: a.id,
    instance: a.instance,
    environment: a.environment,
    startedAt: a.startedAt.toISOString(),
    finishedAt: iso(a.finishedAt),
    outcome: a.outcome,
    uploadId: a.uploadId === null ? null : String(a.uploadId),
    note: a.note,
  };
}

export function serializeEngineState(s: CompanyEngineState) {
  return {
    phase: s.phase,
    sendingEnabled: s.sendingEnabled,
    backoffUntil: iso(s.backoffUntil),
    quotaPausedUntil: iso(s.quotaPausedUntil),
    lastPassAt: iso(s.lastPassAt),
    lastChangeAt: iso(s.lastChangeAt),
    lastError: s.lastError,
  };
}

export const ENGINE_PHASES = ['running', 'idle', 'backoff', 'paused-quota', 'stopped'] as const satisfies readonly CompanyEngineState['phase'][];

/** /health's view of the engine: how many companies are in each phase, not who. */
export function summariseEngine(states: readonly CompanyEngineState[]) {
  const phases = Object.fromEntries(ENGINE_PHASES.map((p) => [p, 0])) as Record<CompanyEngineState['phase'], number>;
  for (const s of states) phases[s.phase] += 1;
  return {
    companies: states.length,
    phases,
    withErrors: states.filter((s) => s.lastError !== null).length,
  };
}

/** Every status present (zero when none), so clients need not guess which keys exist. */
export function statusCounts(rows: readonly StatusCount[]): Record<InvoiceStatus, number> & { total: number } {
  const counts = Object.fromEntries(ALL_STATUSES.map((s) => [s, 0])) as Record<InvoiceStatus, number>;
  let total = 0;
  for (const r of rows) {
    counts[r.status] += r.count;
    total += r.count;
  }
  return { ...counts, total };
}

export function serializeCompany(
  c: Company,
  counts: readonly StatusCount[],
  engine: CompanyEngineState | undefined,
  managedBy: 'config' | 'store' = 'store',
) {
  return {
    id: c.id,
    cif: c.cif,
    shortName: c.shortName,
    name: c.name,
    environment: c.environment,
    sendingEnabled: c.sendingEnabled,
    exportFolder: c.exportFolder,
    partitionFilter: c.partitionFilter,
    oauthProfile: c.oauthProfile ?? null,
    managedBy,
    removedAt: iso(c.removedAt ?? null),
    counts: statusCounts(counts),
    engine: engine === undefined ? null : serializeEngineState(engine),
  };
}
