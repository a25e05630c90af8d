/**
 * A person's decision on an invoice the engine stopped at `needs-attention` because its upload
 * got no answer and never appeared in ANAF's message list. Reconciliation never resends such an
 * invoice by itself (it might be at ANAF after all); after checking SPV, a person either
 * - resends it: ANAF does not have it → `queued`, uploaded again by the engine; or
 * - records the upload id found in SPV (index de încărcare) → `processing`, followed as usual.
 * Both only for an invoice ANAF never confirmed (no upload id known): sending again one that ANAF
 * has would file it twice, and its answer is fetched from SPV instead.
 */
import type { Company } from '../domain/company.js';
import { EfactError } from '../domain/errors.js';
import type { Invoice } from '../domain/invoice.js';
import type { ChangeCause, Store, TransitionRequest } from '../ports/store.js';

/** Who decided, for the invoice's history. */
export interface Decider {
  instance: string;
  by: string;
  details?: Record<string, unknown>;
}

/** ANAF's upload index (index_incarcare) is a number. */
const UPLOAD_ID = /^\d{1,20}$/;

/** Waiting for a person, and never confirmed by ANAF. */
export function isUnconfirmed(invoice: Invoice): boolean {
  return invoice.status === 'needs-attention' && invoice.uploadId === null;
}

function assertUnconfirmed(invoice: Invoice): void {
  if (invoice.status !== 'needs-attention') {
    throw new EfactError(
      'CONFLICT',
      `invoice ${invoice.invoiceId} (id ${invoice.id}) is ${invoice.status}: only an invoice waiting for a person (needs-attention) is decided on this way; a NOK is corrected and sent as a new file`,
      { details: { id: invoice.id, status: invoice.status } },
    );
  }
  if (invoice.uploadId !== null) {
    throw new EfactError(
      'CONFLICT',
      `ANAF has invoice ${invoice.invoiceId} (id ${invoice.id}) under upload id ${invoice.uploadId}: sending it again would file it twice; fetch its answer from SPV`,
      { details: { id: invoice.id, uploadId: invoice.uploadId } },
    );
  }
}

function causeOf(who: Decider, cause: string, extra: Record<string, unknown> = {}): ChangeCause {
  return { instance: who.instance, cause, details: { by: who.by, ...who.details, ...extra } };
}

async function apply(store: Store, invoice: Invoice, request: TransitionRequest): Promise<Invoice> {
  const [done] = await store.transition([request]);
  if (!done) {
    const now = await store.getInvoice(invoice.id);
    throw new EfactError('CONFLICT', `invoice ${invoice.invoiceId} (id ${invoice.id}) changed meanwhile (it is ${now?.status ?? 'gone'}); look at it again`, {
      details: { id: invoice.id, status: now?.status ?? null },
    });
  }
  return done;
}

/** The decision settles why the engine stopped: that reason leaves the invoice's messages too. */
function settled(invoice: Invoice) {
  return { lastError: null, nextAttemptAt: null, messages: invoice.messages.filter((m) => m.text !== invoice.lastError) };
}

function resendRequest(invoice: Invoice, who: Decider): TransitionRequest {
  return {
    invoiceId: invoice.id,
    from: 'needs-attention',
    to: 'queued',
    patch: settled(invoice),
    cause: causeOf(who, 'person-resend'),
  };
}

/** The person checked SPV: ANAF does not have it. Queued to be uploaded again. */
export async function resendInvoice(store: Store, invoice: Invoice, who: Decider): Promise<Invoice> {
  assertUnconfirmed(invoice);
  return apply(store, invoice, resendRequest(invoice, who));
}

/**
 * Every unconfirmed needs-attention invoice of the company's current environment, queued again
 * (one transaction; one that changed meanwhile is left out). Returns those queued.
 */
export async function resendUnconfirmed(store: Store, company: Company, who: Decider): Promise<Invoice[]> {
  const waiting = await store.listInvoices({ companyId: company.id, environment: company.environment, status: 'needs-attention', limit: 10_000, order: 'asc' });
  const unconfirmed = waiting.filter(isUnconfirmed);
  if (unconfirmed.length === 0) return [];
  const done = await store.transition(unconfirmed.map((i) => resendRequest(i, who)));
  return done.filter((i): i is Invoice => i !== null);
}

/** The person found the upload in SPV: its id is recorded and the engine asks ANAF for its answer. */
export async function recordUploadId(store: Store, invoice: Invoice, uploadId: string, who: Decider): Promise<Invoice> {
  const id = uploadId.trim();
  if (!UPLOAD_ID.test(id)) {
    throw new EfactError('INVALID_REQUEST', `upload id "${uploadId}" is not an ANAF upload index (index de încărcare): digits only, e.g. 5001234567`, {
      details: { field: 'uploadId' },
    });
  }
  assertUnconfirmed(invoice);
  const [owner] = await store.findByUploadIds(invoice.companyId, invoice.environment, [id]);
  if (owner !== undefined) {
    throw new EfactError('CONFLICT', `upload id ${id} already belongs to invoice ${owner.invoiceId} (id ${owner.id})`, {
      details: { uploadId: id, ownerId: owner.id },
    });
  }
  const attempts = await store.listAttempts(invoice.id);
  const sentAt = attempts.at(-1)?.startedAt ?? new Date();
  return apply(store, invoice, {
    invoiceId: invoice.id,
    from: 'needs-attention',
    to: 'processing',
    patch: { uploadId: id, uploadedAt: sentAt, ...settled(invoice) },
    cause: causeOf(who, 'person-upload-id', { uploadId: id }),
  });
}
