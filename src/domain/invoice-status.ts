/**
 * The outgoing invoice lifecycle (the manuals' XML → În prelucrare → OK / NOK → Downloaded),
 * declared once. Every state change in the system goes through `assertTransition`.
 */
export const InvoiceStatus = {
  /** Accepted by Efact, durable, waiting to be uploaded (the manuals' "XML"). */
  queued: 'queued',
  /**
   * An upload request is being sent. Written *before* the request leaves (write-ahead), so a
   * crash here is known and reconciled against the platform instead of uploading again.
   */
  uploading: 'uploading',
  /** The platform accepted the file and gave an upload id (the manuals' "În prelucrare"). */
  processing: 'processing',
  /** Processed successfully; a download id is known (the manuals' "OK"). */
  ok: 'ok',
  /** Rejected by the platform with its messages (the manuals' "NOK"): fix and resend. */
  nok: 'nok',
  /** The platform's signed answer is archived; the invoice leaves the active list. */
  downloaded: 'downloaded',
  /** Rejected locally before any upload. */
  invalid: 'invalid',
  /** Cannot proceed without a person (no rights, uncertain upload not found, ...). */
  needsAttention: 'needs-attention',
  /** Replaced by a corrected file for the same company, series and number. */
  superseded: 'superseded',
} as const;

export type InvoiceStatus = (typeof InvoiceStatus)[keyof typeof InvoiceStatus];

export const ALL_STATUSES: readonly InvoiceStatus[] = Object.values(InvoiceStatus);

/** States the engine still works on (the manuals' grid of documents to send). */
export const ACTIVE_STATUSES: readonly InvoiceStatus[] = ['queued', 'uploading', 'processing', 'ok'];

/** States a corrected file may replace. */
export const SUPERSEDABLE_STATUSES: readonly InvoiceStatus[] = ['nok', 'invalid', 'needs-attention'];

const transitions: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  queued: ['uploading', 'invalid', 'superseded', 'queued'],
  // back to queued only when the request certainly never reached the platform
  uploading: ['processing', 'nok', 'queued', 'needs-attention', 'uploading'],
  // self-transitions record a later look (status still pending, download to retry)
  processing: ['ok', 'nok', 'needs-attention', 'queued', 'processing'],
  ok: ['downloaded', 'queued', 'ok', 'needs-attention'],
  nok: ['superseded', 'queued', 'nok'],
  downloaded: ['queued'],
  invalid: ['superseded', 'queued'],
  'needs-attention': ['queued', 'processing', 'superseded'],
  superseded: [],
};

export function canTransition(from: InvoiceStatus, to: InvoiceStatus): boolean {
  return transitions[from].includes(to);
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: InvoiceStatus,
    readonly to: InvoiceStatus,
  ) {
    super(`illegal invoice transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export function assertTransition(from: InvoiceStatus, to: InvoiceStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

export function isStatus(s: string): s is InvoiceStatus {
  return (ALL_STATUSES as readonly string[]).includes(s);
}
