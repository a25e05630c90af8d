/**
 * Download: claim `ok` invoices whose signed answer is to be fetched, fetch and archive each,
 * then mark it `downloaded` (the archive is written before the state says so: ARCHITECTURE
 * rule 2).
 *
 * Claimed, not merely listed: with several instances each answer is fetched by one of them
 * (store.claimForDownload leases it), and a claim whose instance died is taken again once its
 * lease runs out. Each download is recorded as soon as it is archived, not with the rest of
 * its batch: a crash loses at most the downloads in flight, and ANAF allows only 10 downloads
 * of a message a day.
 */
import { asEfactError } from '../../domain/errors.js';
import type { Company } from '../../domain/company.js';
import type { Invoice } from '../../domain/invoice.js';
import type { TransitionRequest } from '../../ports/store.js';
import { mapPool } from '../pool.js';
import { retryDelayMs, type EngineContext } from '../context.js';
import { fetchAnswer } from './answer.js';

export async function runDownloadStep(ctx: EngineContext, company: Company, limit: number): Promise<{ changed: number; pending: number }> {
  const { store, clock, settings } = ctx;
  // Take only what this pass will fetch soon, so the leases are not spent waiting in a queue.
  const take = Math.max(1, Math.min(limit, settings.concurrency * 2));
  const claimed = await store.claimForDownload(company.id, company.environment, take, clock.now(), settings.downloadLeaseMs);
  if (claimed.length === 0) return { changed: 0, pending: 0 };
  const changed = await mapPool(claimed, settings.concurrency, async (invoice) => {
    const request = await downloadOne(ctx, company, invoice);
    const [applied] = await store.transition([request]);
    return applied !== null && applied !== undefined && applied.status !== 'ok' ? 1 : 0;
  });
  return { changed: changed.reduce<number>((a, b) => a + b, 0), pending: claimed.length };
}

/** Fetches one answer; what to record, whether it worked or not. */
async function downloadOne(ctx: EngineContext, company: Company, invoice: Invoice): Promise<TransitionRequest> {
  const { clock, instance, settings, log } = ctx;
  try {
    const answer = await fetchAnswer(ctx, company, invoice, invoice.downloadId!);
    return {
      invoiceId: invoice.id,
      from: 'ok',
      to: 'downloaded',
      patch: { archivePath: answer.archivePath, downloadedAt: clock.now(), addPlatformCalls: 1, nextAttemptAt: null, lastError: null },
      cause: {
        instance,
        cause: 'answer-archived',
        details: { archivePath: answer.archivePath, digestMatches: answer.digestMatches },
      },
    };
  } catch (e) {
    const err = asEfactError(e);
    // This instance may no longer write: nothing to record, stop the pass.
    if (err.code === 'FENCED') throw err;
    const text = `${err.publicCode}: ${err.platformMessage ?? err.message}`;
    log.warn({ invoiceId: invoice.id, code: err.publicCode, message: err.platformMessage ?? err.message }, 'answer download failed');
    // Past ANAF's 60 days the answer is gone for good: a person must fetch it from SPV.
    const gone = err.kind === 'permanent';
    const wait = err.retryAt ? err.retryAt.getTime() - clock.now().getTime() : retryDelayMs(settings, invoice.attempts + 1);
    // The next attempt time replaces the claim's lease: the invoice is free again from then on.
    return {
      invoiceId: invoice.id,
      from: 'ok',
      to: gone ? 'needs-attention' : 'ok',
      patch: { nextAttemptAt: gone ? null : new Date(clock.now().getTime() + wait), lastError: text, addPlatformCalls: err.httpStatus ? 1 : 0, addAttempts: 1 },
      cause: { instance, cause: gone ? 'answer-unavailable' : 'answer-download-failed', details: { code: err.publicCode, message: err.platformMessage ?? err.message } },
    };
  }
}
