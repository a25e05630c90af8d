/**
 * What the free-text fields of a message list entry say: `tip` → MessageKind, and `detalii`
 * → issuer, receiver, self-billing. Pure functions; unknown shapes give nothing, never throw.
 */
import type { MessageKind } from '../../../ports/platform.js';
import { fold } from '../text.js';
import {
  DETAILS_ERRORS_PATTERN,
  DETAILS_INVOICE_PATTERN,
  DETAILS_SELF_BILLED_PATTERN,
  TIP_BUYER_MESSAGE_RECEIVED,
  TIP_BUYER_MESSAGE_SENT,
  TIP_INVOICE_ERRORS,
  TIP_INVOICE_RECEIVED,
  TIP_INVOICE_SENT,
} from '../vocabulary.js';

const KINDS: ReadonlyArray<[string, MessageKind]> = [
  [TIP_INVOICE_SENT, 'invoice-sent'],
  [TIP_INVOICE_RECEIVED, 'invoice-received'],
  [TIP_INVOICE_ERRORS, 'invoice-errors'],
  [TIP_BUYER_MESSAGE_RECEIVED, 'buyer-message-received'],
  [TIP_BUYER_MESSAGE_SENT, 'buyer-message-sent'],
];

/** `tip` → kind, ignoring case and spacing; anything new is 'other' (kept verbatim as rawType). */
export function messageKindOf(tip: string): MessageKind {
  const t = fold(tip);
  for (const [text, kind] of KINDS) if (fold(text) === t) return kind;
  return 'other';
}

export interface MessageDetails {
  /** The upload index the text names (normally equal to `id_solicitare`). */
  uploadId?: string;
  /** The supplier: `cif_emitent`, or for self-billing the CIF "in numele" of which the buyer issued it. */
  issuerCif?: string;
  /** The buyer: `cif_beneficiar`, or for self-billing the CIF that transmitted it. */
  receiverCif?: string;
  selfBilled?: boolean;
  /** For error entries: whether the failed invoice was one received or one sent. */
  errorsFor?: 'received' | 'sent';
}

/** Strips punctuation ANAF might append ("cif=123," or "cif=123."). */
const clean = (s: string): string => s.replace(/[.,;]+$/, '');

export function parseMessageDetails(detalii: string): MessageDetails {
  const text = detalii.replace(/\u00a0/g, ' ');
  const invoice = DETAILS_INVOICE_PATTERN.exec(text);
  if (invoice) {
    return { uploadId: clean(invoice[1]!), issuerCif: clean(invoice[2]!), receiverCif: clean(invoice[3]!), selfBilled: false };
  }
  // NOTE: self-billing: "... transmisa de cif=BUYER  ca autofactutra in numele cif=SUPPLIER" (ANAF's spelling, double space).
  const self = DETAILS_SELF_BILLED_PATTERN.exec(text);
  if (self) {
    return { uploadId: clean(self[1]!), receiverCif: clean(self[2]!), issuerCif: clean(self[3]!), selfBilled: true };
  }
  const errors = DETAILS_ERRORS_PATTERN.exec(text);
  if (errors) {
    return { uploadId: clean(errors[2]!), errorsFor: errors[1]!.toLowerCase() === 'primita' ? 'received' : 'sent' };
  }
  return {};
}
