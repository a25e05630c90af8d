/**
 * Upload: claim queued invoices (write-ahead: status `uploading` + an attempt row are committed
 * before any request leaves), send them, and record what the platform said.
 *
 * The outcome of a failed upload decides everything about duplicates: only an answer that proves
 * the platform did not take the file lets the invoice go back to the queue. Anything else
 * (timeout, dropped connection, 5xx, garbled answer) leaves it `uploading` with an uncertain
 * attempt, for the reconciler to look up on the platform before anything is sent again.
 */
import { asEfactError, type EfactError } from '../../domain/errors.js';
import type { Company } from '../../domain/company.js';
import type { Invoice } from '../../domain/invoice.js';
import type { TransitionRequest, UploadAttempt } from '../../ports/store.js';
import { mapPool } from '../pool.js';
import { retryDelayMs, type EngineContext } from '../context.js';
import { chaosAfterUploadSent } from '../chaos-hooks.js';

export type UploadFailure = 'refused' | 'not-sent' | 'uncertain' | 'blocked';

function causeCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What a failed upload means for the invoice. */
export function classifyUploadFailure(err: EfactError): UploadFailure {
  switch (err.code) {
    // The platform looked at the file and refused it: the invoice itself is wrong.
    case 'PLATFORM_REFUSED':
      return 'refused';
    // Answers given before the file was taken: parameters, rights, limits, firewall.
    case 'PLATFORM_BAD_REQUEST':
    case 'PLATFORM_AUTH':
      return 'blocked';
    case 'PLATFORM_QUOTA':
    case 'PLATFORM_FIREWALL':
      return 'not-sent';
    default: {
      if (err.httpStatus === 400 || err.httpStatus === 401 || err.httpStatus === 403 || err.httpStatus === 429) return 'not-sent';
      // The connector says when a request provably never left, or ANAF itself answered "not taken".
      if (err.details?.uncertain === false) return 'not-sent';
      const code = causeCode(err.cause);
      if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') return 'not-sent';
      return 'uncertain';
    }
  }
}

interface UploadResult {
  invoice: Invoice;
  attempt: UploadAttempt;
  transition: TransitionRequest | null;
  attemptOutcome: UploadAttempt['outcome'];
  uploadId: string | null;
  note: string | null;
}

export async function runUploadStep(ctx: EngineContext, company: Company): Promise<{ changed: number; claimed: number }> {
  const { store, connector, clock, instance, settings } = ctx;
  const claims = await store.claimForUpload(company.id, company.environment, settings.uploadBatch, clock.now(), {
    instance,
    cause: 'upload-claimed',
  });
  if (claims.length === 0) return { changed: 0, claimed: 0 };

  const results = await mapPool(claims, settings.concurrency, async ({ invoice, attempt }): Promise<UploadResult> => {
    const xml = await store.getInvoiceXml(invoice.id);
    if (!xml) throw new Error(`invoice ${invoice.id} has no stored XML`);
    try {
      const receipt = await connector.upload({
        context: { environment: invoice.environment, companyCif: company.cif, invoiceId: invoice.id },
        xml,
        standard: invoice.standard,
        flags: invoice.flags,
        b2c: invoice.b2c,
      });
      chaosAfterUploadSent(); // test-only crash point (EFACT_CHAOS_KILL_AFTER_UPLOAD_SEND); inert otherwise
      return {
        invoice,
        attempt,
        attemptOutcome: 'accepted',
        uploadId: receipt.uploadId,
        note: null,
        transition: {
          invoiceId: invoice.id,
          from: 'uploading',
          to: 'processing',
          patch: {
            uploadId: receipt.uploadId,
            uploadedAt: clock.now(),
            addPlatformCalls: 1,
            lastError: null,
            nextAttemptAt: null,
          },
          cause: { instance, cause: 'upload-accepted', details: { uploadId: receipt.uploadId } },
        },
      };
    } catch (e) {
      return failedUpload(ctx, invoice, attempt, asEfactError(e));
    }
  });

  // Each state change closes its attempt in the same transaction; an uncertain upload changes no
  // state, so only its attempt is closed (as 'uncertain', for the reconciler).
  const transitions = results.flatMap((r) =>
    r.transition ? [{ ...r.transition, attempt: { id: r.attempt.id, outcome: r.attemptOutcome, uploadId: r.uploadId, note: r.note } }] : [],
  );
  const applied = transitions.length > 0 ? await store.transition(transitions) : [];
  for (const r of results.filter((x) => x.transition === null)) {
    await store.finishAttempt(r.attempt.id, r.attemptOutcome, r.uploadId, r.note, clock.now());
  }
  return { changed: applied.filter((x) => x !== null).length, claimed: claims.length };
}

function failedUpload(ctx: EngineContext, invoice: Invoice, attempt: UploadAttempt, err: EfactError): UploadResult {
  const { instance, clock, settings, log } = ctx;
  const kind = classifyUploadFailure(err);
  const text = err.platformMessage ?? err.message;
  const base = { invoice, attempt, uploadId: null, note: `${err.publicCode}: ${text}` };
  log.warn({ invoiceId: invoice.id, code: err.publicCode, failure: kind, message: text }, 'upload failed');
  switch (kind) {
    case 'refused':
      return {
        ...base,
        attemptOutcome: 'refused',
        transition: {
          invoiceId: invoice.id,
          from: 'uploading',
          to: 'nok',
          patch: {
            messages: [{ text, source: 'upload' }],
            resolvedAt: clock.now(),
            addPlatformCalls: 1,
            lastError: null,
          },
          cause: { instance, cause: 'upload-refused', details: { code: err.publicCode, message: text } },
        },
      };
    case 'not-sent':
    case 'blocked': {
      // Certainly not taken: back to the queue, later. Blocked ones (rights, parameters) wait
      // longer and show the reason; a person has to fix the cause but nothing is lost.
      const retryAt =
        err.retryAt ?? new Date(clock.now().getTime() + (kind === 'blocked' ? 15 * 60_000 : retryDelayMs(settings, invoice.attempts)));
      return {
        ...base,
        attemptOutcome: 'not-sent',
        transition: {
          invoiceId: invoice.id,
          from: 'uploading',
          to: 'queued',
          patch: { nextAttemptAt: retryAt, lastError: `${err.publicCode}: ${text}`, addPlatformCalls: err.httpStatus ? 1 : 0 },
          cause: { instance, cause: kind === 'blocked' ? 'upload-blocked' : 'upload-not-sent', details: { code: err.publicCode, message: text } },
        },
      };
    }
    case 'uncertain':
      // NOTE: ANAF may have taken the file even though no answer came back (reported: slow
      // answers of 10 s and more led ERPs to upload twice). Never resend blindly: reconcile.
      return { ...base, attemptOutcome: 'uncertain', transition: null };
  }
}
