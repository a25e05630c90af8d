/**
 * The chaos run's verdict, from the sandbox's own counters and the store: every accepted invoice
 * is in the store and in a final state, none was filed twice, the platform holds nothing the
 * store does not know of, and every downloaded answer's archive is complete.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Invoice } from '../domain/invoice.js';
import type { Store } from '../ports/store.js';
import { ACTIVE_STATUSES } from '../domain/invoice-status.js';

export interface SandboxReport {
  calls: Record<string, number>;
  totalCalls: number;
  quotaAnswers: Record<string, number>;
  faults: Record<string, number>;
  uploads: Array<{ environment: string; cif: string; invoiceId: string; count: number }>;
  duplicateUploads: Array<{ environment: string; cif: string; invoiceId: string; count: number }>;
}

export interface Verdict {
  accepted: number;
  inStore: number;
  lost: number[];
  byStatus: Record<string, number>;
  stillActive: Array<{ id: number; status: string; lastError: string | null }>;
  needsAttention: Record<string, number>;
  /** Needs-attention invoices the platform did take: the reconciler should have found them. */
  needsAttentionTaken: string[];
  nokAnswered: number;
  duplicateFilings: Array<{ invoiceId: string; count: number }>;
  /** Uploads the sandbox took for which no invoice in the store has that invoice number. */
  unknownAtPlatform: string[];
  /** Invoices the platform took but the store does not say so (no upload id and not needs-attention). */
  takenButUnrecorded: string[];
  archivesChecked: number;
  archivesIncomplete: Array<{ id: number; archivePath: string | null; missing: string[] }>;
  violations: string[];
}

/** Needs-attention reasons grouped by their first words (the texts hold times and numbers). */
function normalise(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>').replace(/\b[A-Z]*\d[\w-]*\b/g, '#');
}

function reasonOf(invoice: Invoice): string {
  return normalise(invoice.lastError ?? invoice.messages.at(-1)?.text ?? '(no reason recorded)').slice(0, 60);
}

export async function verify(options: {
  store: Store;
  acceptedIds: readonly number[];
  sandbox: SandboxReport;
  /** Data folders of the instances: an answer is archived in the folder of the one that downloaded it. */
  dataDirs: readonly string[];
}): Promise<Verdict> {
  const { store, sandbox, dataDirs } = options;
  const accepted = [...new Set(options.acceptedIds)].sort((a, b) => a - b);
  const invoices = new Map<number, Invoice>();
  for (const inv of await store.listInvoices({ limit: 1_000_000, order: 'asc' })) invoices.set(inv.id, inv);
  const lost = accepted.filter((id) => !invoices.has(id));

  const byStatus: Record<string, number> = {};
  const needsAttention: Record<string, number> = {};
  const stillActive: Verdict['stillActive'] = [];
  let nokAnswered = 0;
  for (const inv of invoices.values()) {
    byStatus[inv.status] = (byStatus[inv.status] ?? 0) + 1;
    if (ACTIVE_STATUSES.includes(inv.status)) stillActive.push({ id: inv.id, status: inv.status, lastError: inv.lastError });
    if (inv.status === 'needs-attention') {
      // The last upload attempt's note says why its outcome was unknown (interrupted, 5xx, timeout…).
      const note = (await store.listAttempts(inv.id)).at(-1)?.note ?? null;
      const r = `${note === null ? '' : `${normalise(note).slice(0, 70)} → `}${reasonOf(inv)}`;
      needsAttention[r] = (needsAttention[r] ?? 0) + 1;
    }
    if (inv.status === 'nok' && (inv.archivePath !== null || inv.messages.length > 0)) nokAnswered++;
  }

  // Filing: the sandbox counts uploads per invoice number; the store knows which it has.
  const uploadsById = new Map(sandbox.uploads.map((u) => [u.invoiceId, u.count]));
  const duplicateFilings = sandbox.uploads.filter((u) => u.count > 1).map((u) => ({ invoiceId: u.invoiceId, count: u.count }));
  const storeNumbers = new Set([...invoices.values()].map((i) => i.invoiceId));
  const unknownAtPlatform = sandbox.uploads.filter((u) => !storeNumbers.has(u.invoiceId)).map((u) => u.invoiceId);
  const takenButUnrecorded: string[] = [];
  const needsAttentionTaken = [...invoices.values()]
    .filter((inv) => inv.status === 'needs-attention' && (uploadsById.get(inv.invoiceId) ?? 0) > 0)
    .map((inv) => inv.invoiceId);
  for (const inv of invoices.values()) {
    if ((uploadsById.get(inv.invoiceId) ?? 0) > 0 && inv.uploadId === null && inv.status !== 'needs-attention') takenButUnrecorded.push(inv.invoiceId);
  }

  let archivesChecked = 0;
  const archivesIncomplete: Verdict['archivesIncomplete'] = [];
  for (const inv of invoices.values()) {
    if (inv.status !== 'downloaded') continue;
    archivesChecked++;
    const rel = inv.archivePath;
    const id = inv.downloadId;
    if (!rel || !id) {
      archivesIncomplete.push({ id: inv.id, archivePath: rel, missing: ['archive path / download id not recorded'] });
      continue;
    }
    const folderRel = path.dirname(rel);
    const wanted = [rel, path.join(folderRel, `${id}.xml`), path.join(folderRel, `semnatura_${id}.xml`)];
    // Several instances may have fetched the same answer (one killed half-way): one complete copy is enough.
    const complete = dataDirs.some((d) => wanted.every((f) => existsSync(path.join(d, f))));
    const home = dataDirs.find((d) => existsSync(path.join(d, rel)));
    const missing = complete ? [] : home === undefined ? wanted : wanted.filter((f) => !existsSync(path.join(home, f)));
    if (missing.length > 0) archivesIncomplete.push({ id: inv.id, archivePath: rel, missing });
  }

  const violations: string[] = [];
  if (lost.length > 0) violations.push(`${lost.length} accepted invoice(s) missing from the store: ${lost.slice(0, 10).join(', ')}`);
  if (stillActive.length > 0) violations.push(`${stillActive.length} invoice(s) not in a final state: ${stillActive.slice(0, 5).map((a) => `#${a.id} ${a.status}`).join(', ')}`);
  if (sandbox.duplicateUploads.length > 0 || duplicateFilings.length > 0) {
    violations.push(`filed twice: ${duplicateFilings.map((d) => `${d.invoiceId}×${d.count}`).slice(0, 10).join(', ')}`);
  }
  if (unknownAtPlatform.length > 0) violations.push(`the platform holds ${unknownAtPlatform.length} upload(s) the store does not know: ${unknownAtPlatform.slice(0, 10).join(', ')}`);
  if (takenButUnrecorded.length > 0) violations.push(`${takenButUnrecorded.length} invoice(s) taken by the platform without an upload id in the store: ${takenButUnrecorded.slice(0, 10).join(', ')}`);
  if (archivesIncomplete.length > 0) violations.push(`${archivesIncomplete.length} downloaded invoice(s) with an incomplete archive, e.g. #${archivesIncomplete[0]!.id}: ${archivesIncomplete[0]!.missing.join(', ')}`);
  if (invoices.size !== accepted.length) violations.push(`the store holds ${invoices.size} invoices, ${accepted.length} were accepted`);

  return {
    accepted: accepted.length,
    inStore: invoices.size,
    lost,
    byStatus,
    stillActive,
    needsAttention,
    needsAttentionTaken,
    nokAnswered,
    duplicateFilings,
    unknownAtPlatform,
    takenButUnrecorded,
    archivesChecked,
    archivesIncomplete,
    violations,
  };
}
