/**
 * Reconciling uncertain uploads (ARCHITECTURE rule 1). An upload whose answer never arrived
 * (timeout, dropped connection, crash between sending and recording) may have been taken by the
 * platform. It is looked up in the platform's own message lists: a sent-invoice message whose
 * upload id belongs to none of our invoices is downloaded and compared with the invoice
 * (same bytes, or same number + date + supplier). Found → it continues as `processing` with that
 * upload id. Not found within the grace period → `needs-attention`: a person decides. Never a
 * blind second upload.
 */
import { asEfactError } from '../../domain/errors.js';
import type { Company } from '../../domain/company.js';
import type { Invoice } from '../../domain/invoice.js';
import type { MessageListEntry } from '../../ports/platform.js';
import type { TransitionRequest, UploadAttempt } from '../../ports/store.js';
import { readZip } from '../../zip/zip.js';
import { readInvoiceMetadata } from '../../xml/invoice-metadata.js';
import { inspectAnswerZip } from '../../adapters/anaf/answer-zip.js';
import { sha256Hex } from '../intake/intake-service.js';
import type { EngineContext } from '../context.js';
import { listLeaseName } from './status-step.js';

interface Candidate {
  uploadId: string;
  contentHash: string | null;
  invoiceId: string | null;
  issueDate: string | null;
  supplierCif: string | null;
}

/**
 * At start-up: claims a previous run of this instance never sent go back to the queue (nothing
 * left, nothing to reconcile); attempts it left 'sending' are uncertain now.
 */
export async function markInterruptedAttempts(ctx: EngineContext): Promise<number> {
  const released = await ctx.store.releaseClaims({ instance: ctx.instance }, { instance: ctx.instance, cause: 'upload-claim-released' });
  if (released.length > 0) ctx.log.info({ invoices: released.length }, 'claims the last stop left unsent are queued again');
  const open = await ctx.store.listOpenAttempts();
  let n = 0;
  for (const a of open) {
    if (a.outcome === 'sending' && a.instance === ctx.instance) {
      await ctx.store.finishAttempt(a.id, 'uncertain', null, 'interrupted: the process stopped before the answer was recorded', ctx.clock.now());
      n++;
    }
  }
  return n;
}

export interface ReconcileResult {
  changed: number;
  open: number;
  /** When the earliest open uncertain upload runs out of grace (the idle back-off must not sleep past it). */
  nextDeadline: Date | null;
}

export async function runReconcileStep(ctx: EngineContext, company: Company): Promise<ReconcileResult> {
  const { store, clock, instance, settings, log } = ctx;
  const uploading = await store.listInvoices({ companyId: company.id, environment: company.environment, status: 'uploading', limit: 10_000, order: 'asc' });
  const uncertain: Array<{ invoice: Invoice; attempt: UploadAttempt }> = [];
  for (const invoice of uploading) {
    const last = (await store.listAttempts(invoice.id)).at(-1);
    if (last && last.outcome === 'uncertain') uncertain.push({ invoice, attempt: last });
  }
  if (uncertain.length === 0) return { changed: 0, open: 0, nextDeadline: null };

  const now = clock.now();
  const nextDeadline = new Date(Math.min(...uncertain.map((u) => settledAt(u.attempt))) + settings.uncertainGraceMs);
  // Like the status step, only the instance holding the company's list lease reads ANAF's list:
  // every instance reconciling the same uploads would repeat its calls against the per-CUI quota.
  if (!(await store.takeCompanyLease(listLeaseName(company), instance, settings.listLeaseMs))) {
    return { changed: 0, open: uncertain.length, nextDeadline };
  }
  const since = Math.min(...uncertain.map((u) => u.attempt.startedAt.getTime())) - 2 * 60_000;
  const listEnd = new Date(now.getTime() - 1000);
  let entries: MessageListEntry[] = [];
  try {
    entries = await ctx.connector.listMessagesPaged({
      context: { environment: company.environment, companyCif: company.cif },
      start: new Date(Math.floor(Math.max(since, now.getTime() - 59 * 24 * 3600_000) / 60_000) * 60_000),
      end: listEnd,
      filter: 'T',
    });
  } catch (e) {
    const err = asEfactError(e);
    log.warn({ code: err.publicCode, message: err.platformMessage ?? err.message }, 'reconciliation list failed');
    return { changed: 0, open: uncertain.length, nextDeadline };
  }
  const sent = entries.filter((e) => e.kind === 'invoice-sent' && e.id !== null);
  const known = new Set((await store.findByUploadIds(company.id, company.environment, sent.map((e) => e.uploadId))).map((i) => i.uploadId));
  const candidates: Candidate[] = [];
  // A message that could not be read this pass may be the very upload sought: nobody is given
  // up on while one is unread (it is tried again next pass).
  let unread = 0;
  for (const entry of sent.filter((e) => !known.has(e.uploadId))) {
    const candidate = await describeCandidate(ctx, company, entry);
    if (candidate === 'unread') unread++;
    else if (candidate) candidates.push(candidate);
  }

  const transitions: TransitionRequest[] = [];
  for (const { invoice, attempt } of uncertain) {
    const match = candidates.find(
      (c) =>
        c.contentHash === invoice.contentHash ||
        (c.invoiceId === invoice.invoiceId && c.issueDate === invoice.issueDate && c.supplierCif === invoice.supplierCif),
    );
    if (match) {
      candidates.splice(candidates.indexOf(match), 1);
      transitions.push({
        invoiceId: invoice.id,
        from: 'uploading',
        to: 'processing',
        patch: { uploadId: match.uploadId, uploadedAt: attempt.startedAt, lastError: null },
        cause: { instance, cause: 'upload-reconciled', details: { uploadId: match.uploadId } },
        attempt: { id: attempt.id, outcome: 'reconciled', uploadId: match.uploadId, note: 'found in the platform message list' },
      });
    } else if (unread === 0 && givenUp(attempt, listEnd, settings.uncertainGraceMs)) {
      const text =
        `The upload of ${invoice.invoiceId} at ${attempt.startedAt.toISOString()} got no answer and no matching invoice ` +
        `appeared in ANAF's messages within ${Math.round(settings.uncertainGraceMs / 60_000)} minutes. Check SPV, then resend it (efact resend ${invoice.id}, or the dashboard) or record the upload id found there (efact resend ${invoice.id} --upload-id N).`;
      transitions.push({
        invoiceId: invoice.id,
        from: 'uploading',
        to: 'needs-attention',
        patch: { lastError: text, messages: [...invoice.messages, { text, source: 'local' }] },
        cause: { instance, cause: 'upload-unconfirmed', details: { attemptId: attempt.id } },
      });
    }
  }
  const applied = transitions.length ? await store.transition(transitions) : [];
  return { changed: applied.filter((a) => a !== null).length, open: uncertain.length, nextDeadline };
}

/**
 * When the upload's fate was settled as unknown: the answer's end (timeout, dropped connection),
 * or, for one interrupted by a stop, when the next start marked it. Until then the request may
 * still have been on its way, so the grace counts from here, not from the send.
 */
function settledAt(attempt: UploadAttempt): number {
  return Math.max(attempt.startedAt.getTime(), attempt.finishedAt?.getTime() ?? 0);
}

/**
 * An uncertain upload is given up on only when a message list that ends a full grace period
 * after its fate was settled has been read without finding it: an upload the platform took at
 * the last moment (or lists late) is in such a list.
 */
function givenUp(attempt: UploadAttempt, listEnd: Date, graceMs: number): boolean {
  return listEnd.getTime() - settledAt(attempt) > graceMs;
}

/**
 * A message that failed to download this many times no longer holds decisions back (ANAF allows
 * 10 downloads of a message a day; one that keeps failing must not block every other case).
 */
export const UNREAD_TRIES = 5;

/** ANAF lists messages of the last 60 days: what was remembered of a message longer ago is never asked for again. */
const MESSAGE_MEMORY_MS = 61 * 24 * 3600_000;
const CANDIDATE_PREFIX = 'reconcile:';
const UNREAD_PREFIX = 'reconcile-unread:';

async function forgetOldMessages(ctx: EngineContext, now: Date): Promise<void> {
  const before = new Date(now.getTime() - MESSAGE_MEMORY_MS);
  for (const prefix of [CANDIDATE_PREFIX, UNREAD_PREFIX]) await ctx.store.deleteStateBefore(prefix, before);
}

/**
 * Downloads an unclaimed sent-invoice message once and remembers what it holds; 'unread' when the
 * download failed this time (and may work next pass), null when it is given up on.
 */
async function describeCandidate(ctx: EngineContext, company: Company, entry: MessageListEntry): Promise<Candidate | 'unread' | null> {
  const key = `${CANDIDATE_PREFIX}${company.environment}:${entry.id}`;
  const cached = await ctx.store.getState(key);
  if (cached) return JSON.parse(cached) as Candidate;
  // About to remember one more message: drop what no list can show again (here, not every pass).
  await forgetOldMessages(ctx, ctx.clock.now());
  try {
    const zip = await ctx.connector.download({
      context: { environment: company.environment, companyCif: company.cif },
      downloadId: entry.id!,
    });
    const answer = inspectAnswerZip(readZip(zip));
    let candidate: Candidate = { uploadId: entry.uploadId, contentHash: null, invoiceId: null, issueDate: null, supplierCif: null };
    if (answer.mainFile) {
      const meta = (() => {
        try {
          return readInvoiceMetadata(answer.mainFile.bytes);
        } catch {
          return null;
        }
      })();
      candidate = {
        uploadId: entry.uploadId,
        contentHash: sha256Hex(answer.mainFile.bytes),
        invoiceId: meta?.invoiceId ?? null,
        issueDate: meta?.issueDate ?? null,
        supplierCif: meta?.supplierCif ?? null,
      };
    }
    await ctx.store.setState(key, JSON.stringify(candidate));
    return candidate;
  } catch (e) {
    const err = asEfactError(e);
    ctx.log.warn({ messageId: entry.id, code: err.publicCode }, 'could not download a message to reconcile');
    const failKey = `${UNREAD_PREFIX}${company.environment}:${entry.id}`;
    const failures = Number((await ctx.store.getState(failKey)) ?? '0') + 1;
    await ctx.store.setState(failKey, String(failures));
    return failures < UNREAD_TRIES ? 'unread' : null;
  }
}
