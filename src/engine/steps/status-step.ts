/**
 * Learning outcomes with the fewest calls. One paginated message-list call reveals up to 500
 * outcomes at once, so lists are used whenever more invoices wait than a list would cost pages;
 * a per-invoice `stareMesaj` is used for a handful of invoices, and for invoices missing from the
 * lists for long (an "XML cu erori nepreluat de sistem" upload never appears in any list).
 */
import { asEfactError } from '../../domain/errors.js';
import type { Company } from '../../domain/company.js';
import type { Invoice } from '../../domain/invoice.js';
import type { MessageListEntry } from '../../ports/platform.js';
import type { TransitionRequest } from '../../ports/store.js';
import { mapPool } from '../pool.js';
import { retryDelayMs, type EngineContext } from '../context.js';
import { fetchAnswer } from './answer.js';

const PAGE = 500;
/** ANAF refuses list windows older than 60 days; keep clear of the edge. */
const MAX_LIST_AGE_MS = 59 * 24 * 3600_000;

export interface Outcome {
  invoice: Invoice;
  state: 'ok' | 'nok';
  downloadId: string;
  /** Calls spent on this invoice alone to learn it (a stareMesaj); list calls are shared. */
  calls: number;
}

function stateKey(company: Company, name: string): string {
  return `list:${company.id}:${company.environment}:${name}`;
}

/** The company lease of the instance that learns the company's outcomes (store.takeCompanyLease). */
export function listLeaseName(company: Company): string {
  return `list:${company.id}:${company.environment}`;
}

/** Processing invoices of the company due for a look, oldest first. */
async function dueProcessing(ctx: EngineContext, company: Company): Promise<Invoice[]> {
  const now = ctx.clock.now().getTime();
  const all = await ctx.store.listInvoices({
    companyId: company.id,
    environment: company.environment,
    status: 'processing',
    limit: 100_000,
    order: 'asc',
  });
  return all.filter((i) => i.nextAttemptAt === null || i.nextAttemptAt.getTime() <= now);
}

/**
 * Learns the outcomes of the company's processing invoices — all of them, whatever the partition
 * filters — when this instance holds the company's list lease, and does nothing otherwise.
 * One message list reveals every outcome of the company (and its incoming messages), so
 * several instances each listing would only repeat the same calls against the per-CUI quota;
 * the lease gives the job to one, and to another when that one stops renewing it.
 */
export async function runStatusStep(ctx: EngineContext, company: Company): Promise<{ changed: number; waiting: number; incoming: MessageListEntry[] }> {
  const waiting = await dueProcessing(ctx, company);
  if (waiting.length === 0) return { changed: 0, waiting: 0, incoming: [] };
  // Asked only when there is something to learn: no write per idle pass.
  const lister = await ctx.store.takeCompanyLease(listLeaseName(company), ctx.instance, ctx.settings.listLeaseMs);
  if (!lister) return { changed: 0, waiting: 0, incoming: [] };
  const now = ctx.clock.now();
  const lastTotal = Number((await ctx.store.getState(stateKey(company, 'total'))) ?? '0');
  const estimatedPages = Math.max(1, Math.ceil(lastTotal / PAGE));

  let outcomes: Outcome[] = [];
  let incoming: MessageListEntry[] = [];
  let missing: Invoice[] = waiting;
  if (waiting.length >= estimatedPages) {
    const listed = await learnFromList(ctx, company, waiting);
    outcomes = listed.outcomes;
    incoming = listed.incoming;
    // Only those missing from the list for long get a per-invoice query.
    missing = listed.missing.filter((i) => i.uploadedAt === null || now.getTime() - i.uploadedAt.getTime() >= ctx.settings.statusFallbackMs);
  }
  const polled = await pollEach(ctx, company, missing);
  const changed = await settle(ctx, company, [...outcomes, ...polled.outcomes]);
  return { changed: changed + polled.changed, waiting: waiting.length, incoming };
}

async function learnFromList(ctx: EngineContext, company: Company, waiting: Invoice[]): Promise<{ outcomes: Outcome[]; missing: Invoice[]; incoming: MessageListEntry[] }> {
  const { store, connector, clock } = ctx;
  const now = clock.now();
  const oldestUpload = Math.min(...waiting.map((i) => (i.uploadedAt ?? now).getTime()));
  const lastEnd = Number((await store.getState(stateKey(company, 'end'))) ?? '0');
  // Start from the oldest waiting upload, but not before the last list's end (minus the overlap):
  // whatever was created before that has been seen already. Anything missed this way is caught
  // by the per-invoice fallback after statusFallbackMs.
  const start = Math.max(oldestUpload - ctx.settings.listOverlapMs, lastEnd - ctx.settings.listOverlapMs, now.getTime() - MAX_LIST_AGE_MS);
  const end = now.getTime() - 1000; // ANAF refuses an end in the future
  if (end <= start) return { outcomes: [], missing: waiting, incoming: [] };
  const entries = await connector.listMessagesPaged({
    context: { environment: company.environment, companyCif: company.cif },
    start: new Date(start),
    end: new Date(end),
  });
  await store.setState(stateKey(company, 'end'), String(end));
  await store.setState(stateKey(company, 'total'), String(entries.length));

  const byUpload = new Map(waiting.map((i) => [i.uploadId ?? '', i]));
  const outcomes: Outcome[] = [];
  // Received invoices and buyer messages come along for free: they are kept as incoming.
  const incoming: MessageListEntry[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'invoice-sent' && entry.kind !== 'invoice-errors') {
      incoming.push(entry);
      continue;
    }
    const invoice = byUpload.get(entry.uploadId);
    if (!invoice) continue; // another sender's upload, or an uncertain one of ours (the reconciler's job)
    if (entry.id === null) continue; // NOTE: entries without an id are reported; stareMesaj will give it
    outcomes.push({ invoice, state: entry.kind === 'invoice-sent' ? 'ok' : 'nok', downloadId: entry.id, calls: 0 });
    byUpload.delete(entry.uploadId);
  }
  return { outcomes, missing: [...byUpload.values()], incoming };
}

async function pollEach(ctx: EngineContext, company: Company, invoices: Invoice[]): Promise<{ outcomes: Outcome[]; changed: number }> {
  const { connector, clock, instance, settings, log } = ctx;
  const outcomes: Outcome[] = [];
  const transitions: TransitionRequest[] = [];
  await mapPool(invoices, settings.concurrency, async (invoice) => {
    if (invoice.uploadId === null) return;
    try {
      const answer = await connector.status({
        context: { environment: invoice.environment, companyCif: company.cif, invoiceId: invoice.id },
        uploadId: invoice.uploadId,
      });
      if (answer.state === 'ok' || answer.state === 'nok') {
        outcomes.push({ invoice, state: answer.state, downloadId: answer.downloadId, calls: 1 });
      } else if (answer.state === 'rejected') {
        transitions.push({
          invoiceId: invoice.id,
          from: 'processing',
          to: 'nok',
          patch: { messages: [{ text: answer.message, source: 'status' }], resolvedAt: clock.now(), addPlatformCalls: 1 },
          cause: { instance, cause: 'status:rejected', details: { message: answer.message } },
        });
      } else {
        // Still in processing: look again later, less often each time (30 s, 1 min, 2 min … 15 min),
        // so one message never nears ANAF's 100 status queries a day.
        const backoff = Math.min(15 * 60_000, 30_000 * 2 ** Math.min(10, Math.max(0, invoice.platformCalls - 1)));
        transitions.push(delay(ctx, invoice, Math.max(settings.passIntervalMs, backoff), 'status:processing', 1));
      }
    } catch (e) {
      const err = asEfactError(e);
      log.warn({ invoiceId: invoice.id, code: err.publicCode, message: err.platformMessage ?? err.message }, 'status query failed');
      const wait = err.retryAt ? err.retryAt.getTime() - clock.now().getTime() : retryDelayMs(settings, invoice.attempts + 1);
      transitions.push(delay(ctx, invoice, wait, 'status:failed', err.httpStatus ? 1 : 0, `${err.publicCode}: ${err.platformMessage ?? err.message}`));
    }
  });
  const applied = transitions.length ? await ctx.store.transition(transitions) : [];
  return { outcomes, changed: applied.filter((a) => a !== null && a.status !== 'processing').length };
}

/** Keeps the invoice in processing but looks again later (a self-transition records why). */
function delay(ctx: EngineContext, invoice: Invoice, ms: number, cause: string, calls: number, lastError?: string): TransitionRequest {
  return {
    invoiceId: invoice.id,
    from: 'processing',
    to: 'processing',
    patch: {
      nextAttemptAt: new Date(ctx.clock.now().getTime() + ms),
      addPlatformCalls: calls,
      ...(lastError !== undefined ? { lastError } : {}),
    },
    cause: { instance: ctx.instance, cause },
  };
}

/** ok → status ok (downloaded later); nok → the error document is fetched now so nok always has its messages. */
async function settle(ctx: EngineContext, company: Company, outcomes: Outcome[]): Promise<number> {
  const { clock, instance, settings } = ctx;
  const transitions: TransitionRequest[] = [];
  for (const o of outcomes.filter((x) => x.state === 'ok')) {
    transitions.push({
      invoiceId: o.invoice.id,
      from: 'processing',
      to: 'ok',
      patch: { downloadId: o.downloadId, resolvedAt: clock.now(), nextAttemptAt: null, lastError: null, addPlatformCalls: o.calls },
      cause: { instance, cause: 'status:ok', details: { downloadId: o.downloadId } },
    });
  }
  const applied = transitions.length ? await ctx.store.transition(transitions) : [];
  let changed = applied.filter((a) => a !== null && a.status !== 'processing').length;
  // Each error document is recorded as soon as it is archived: a crash must not make the next
  // run fetch again what was fetched already (ANAF allows 10 downloads of a message a day).
  const noks = outcomes.filter((x) => x.state === 'nok');
  await mapPool(noks, settings.concurrency, async (o) => {
    let request: TransitionRequest;
    try {
      const answer = await fetchAnswer(ctx, company, o.invoice, o.downloadId);
      request = {
        invoiceId: o.invoice.id,
        from: 'processing',
        to: 'nok',
        patch: {
          downloadId: o.downloadId,
          resolvedAt: clock.now(),
          archivePath: answer.archivePath,
          messages: answer.errors.map((text) => ({ text, source: 'answer' as const })),
          addPlatformCalls: 1 + o.calls,
          nextAttemptAt: null,
          lastError: null,
        },
        cause: { instance, cause: 'status:nok', details: { downloadId: o.downloadId, errors: answer.errors.length } },
      };
    } catch (e) {
      // The outcome stays visible in the lists: the next pass tries the download again.
      const err = asEfactError(e);
      if (err.code === 'FENCED') throw err;
      request = delay(ctx, o.invoice, retryDelayMs(settings, 1), 'answer-download-failed', 1 + o.calls, `${err.publicCode}: ${err.platformMessage ?? err.message}`);
    }
    const [done] = await ctx.store.transition([request]);
    if (done && done.status !== 'processing') changed++;
  });
  return changed;
}
