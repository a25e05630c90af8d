/**
 * Download: for every `ok` invoice, fetch ANAF's signed answer, archive it, then mark it
 * `downloaded` (the archive is written before the state says so: ARCHITECTURE rule 2).
 */
import { asEfactError } from '../../domain/errors.js';
import type { Company } from '../../domain/company.js';
import type { TransitionRequest } from '../../ports/store.js';
import { mapPool } from '../pool.js';
import { retryDelayMs, type EngineContext } from '../context.js';
import { fetchAnswer } from './answer.js';

export async function runDownloadStep(ctx: EngineContext, company: Company, limit: number): Promise<{ changed: number; pending: number }> {
  const { store, clock, instance, settings, log } = ctx;
  const now = clock.now().getTime();
  const due = (
    await store.listInvoices({ companyId: company.id, environment: company.environment, status: 'ok', limit, order: 'asc', mine: true })
  ).filter((i) => i.downloadId !== null && (i.nextAttemptAt === null || i.nextAttemptAt.getTime() <= now));
  if (due.length === 0) return { changed: 0, pending: 0 };
  const transitions: TransitionRequest[] = [];
  await mapPool(due, settings.concurrency, async (invoice) => {
    try {
      const answer = await fetchAnswer(ctx, company, invoice, invoice.downloadId!);
      transitions.push({
        invoiceId: invoice.id,
        from: 'ok',
        to: 'downloaded',
        patch: { archivePath: answer.archivePath, downloadedAt: clock.now(), addPlatformCalls: 1, nextAttemptAt: null, lastError: null },
        cause: {
          instance,
          cause: 'answer-archived',
          details: { archivePath: answer.archivePath, digestMatches: answer.digestMatches },
        },
      });
    } catch (e) {
      const err = asEfactError(e);
      const text = `${err.publicCode}: ${err.platformMessage ?? err.message}`;
      log.warn({ invoiceId: invoice.id, code: err.publicCode, message: err.platformMessage ?? err.message }, 'answer download failed');
      // Past ANAF's 60 days the answer is gone for good: a person must fetch it from SPV.
      const gone = err.kind === 'permanent';
      const wait = err.retryAt ? err.retryAt.getTime() - clock.now().getTime() : retryDelayMs(settings, invoice.attempts + 1);
      transitions.push({
        invoiceId: invoice.id,
        from: 'ok',
        to: gone ? 'needs-attention' : 'ok',
        patch: { nextAttemptAt: gone ? null : new Date(clock.now().getTime() + wait), lastError: text, addPlatformCalls: err.httpStatus ? 1 : 0, addAttempts: 1 },
        cause: { instance, cause: gone ? 'answer-unavailable' : 'answer-download-failed', details: { code: err.publicCode, message: err.platformMessage ?? err.message } },
      });
    }
  });
  const applied = await store.transition(transitions);
  return { changed: applied.filter((a) => a !== null && a.status !== 'ok').length, pending: due.length };
}
