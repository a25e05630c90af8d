/**
 * Upload: claim a queued invoice per free slot (status `uploading`, attempt 'claimed'), mark the
 * attempt 'sending' right before its request leaves (the write-ahead record), send it, and record
 * what the platform said.
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

/**
 * A claim not sent for this long is given back to the queue by whoever sees it (its claimer
 * stopped without saying so). Early is harmless: the claimer's own send is a compare-and-set
 * on the claim and stops when the claim is gone.
 */
export const CLAIM_LEASE_MS = 10 * 60_000;

/** The claim was given back (its lease ran out) before its request could leave: nothing was sent. */
class ClaimLost extends Error {}

/**
 * Each of `concurrency` slots claims one invoice when it is free, sends it and records the
 * answer before claiming the next, up to `uploadBatch` per pass. An invoice is never held
 * while others are sent, so a stop (even SIGKILL) leaves at most one uncertain upload per
 * slot; claims that had not reached 'sending' simply go back to the queue.
 */
export async function runUploadStep(ctx: EngineContext, company: Company): Promise<{ changed: number; claimed: number }> {
  const { store, clock, instance, settings } = ctx;
  const expired = await store.releaseClaims(
    { claimedBefore: new Date(clock.now().getTime() - CLAIM_LEASE_MS) },
    { instance, cause: 'upload-claim-expired' },
  );
  if (expired.length > 0) ctx.log.warn({ company: company.cif, invoices: expired.length }, 'claims never sent were given back to the queue');

  const slots = Math.max(1, settings.concurrency);
  let budget = Math.max(1, settings.uploadBatch);
  let drained = false;
  let running = 0;
  let claimed = 0;
  let changed = 0;
  const errors: unknown[] = [];
  const tasks: Array<Promise<void>> = [];

  const slot = async (): Promise<void> => {
    while (!drained && budget > 0) {
      budget--;
      const [claim] = await store.claimForUpload(company.id, company.environment, 1, clock.now(), { instance, cause: 'upload-claimed' });
      if (claim === undefined) {
        drained = true;
        return;
      }
      claimed++;
      // Open the next slot only once there is work: an empty queue costs one claim, not one per slot.
      if (running < slots && !drained && budget > 0) spawn();
      const n = await uploadOne(ctx, company, claim); // not `changed += await …`: slots interleave
      changed += n;
    }
  };
  const spawn = (): void => {
    running++;
    tasks.push(
      slot().catch((e: unknown) => {
        errors.push(e);
        drained = true;
      }),
    );
  };
  spawn();
  // Slots are added while earlier ones run; each is in the list before the one that added it ends.
  for (let i = 0; i < tasks.length; i++) await tasks[i];
  if (errors.length > 0) throw errors[0];
  return { changed, claimed };
}

/** Sends one claimed invoice and records the outcome; returns how many invoices changed state (0 or 1). */
async function uploadOne(ctx: EngineContext, company: Company, { invoice, attempt }: { invoice: Invoice; attempt: UploadAttempt }): Promise<number> {
  const { store, connector, clock, instance } = ctx;
  const xml = await store.getInvoiceXml(invoice.id);
  if (!xml) throw new Error(`invoice ${invoice.id} has no stored XML`);
  let sent = false;
  let hookError: unknown = null;
  let result: UploadResult;
  try {
    const receipt = await connector.upload({
      context: { environment: invoice.environment, companyCif: company.cif, invoiceId: invoice.id },
      xml,
      standard: invoice.standard,
      flags: invoice.flags,
      b2c: invoice.b2c,
      // The write-ahead record (rule 1), after every wait and right before the request leaves.
      beforeSend: async () => {
        try {
          if (!(await store.markAttemptSending(attempt.id, clock.now()))) throw new ClaimLost();
        } catch (e) {
          hookError = e;
          throw e;
        }
        sent = true;
      },
    });
    chaosAfterUploadSent(); // test-only crash point (EFACT_CHAOS_KILL_AFTER_UPLOAD_SEND); inert otherwise
    result = {
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
    // Given back meanwhile: another handle may hold it now; nothing was sent, nothing to record.
    if (hookError instanceof ClaimLost) return 0;
    // The record could not be written (fenced, store down): nothing was sent; the claim stays
    // for this instance's next start or the lease to give back.
    if (hookError !== null) throw hookError;
    result = failedUpload(ctx, invoice, attempt, asEfactError(e), sent);
  }

  // A state change closes its attempt in the same transaction; an uncertain upload changes no
  // state, so only its attempt is closed (as 'uncertain', for the reconciler).
  if (result.transition) {
    const [applied] = await store.transition([
      { ...result.transition, attempt: { id: attempt.id, outcome: result.attemptOutcome, uploadId: result.uploadId, note: result.note } },
    ]);
    return applied ? 1 : 0;
  }
  await store.finishAttempt(attempt.id, result.attemptOutcome, result.uploadId, result.note, clock.now());
  return 0;
}

function failedUpload(ctx: EngineContext, invoice: Invoice, attempt: UploadAttempt, err: EfactError, sent: boolean): UploadResult {
  const { instance, clock, settings, log } = ctx;
  const classified = classifyUploadFailure(err);
  // Failing before the request left (token, governor, local checks) proves nothing was taken.
  const kind: UploadFailure = !sent && (classified === 'uncertain' || classified === 'refused') ? 'not-sent' : classified;
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
