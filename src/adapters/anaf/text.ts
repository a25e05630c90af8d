/**
 * Small helpers for reading ANAF's bodies: decoding, folding text for comparison, and
 * sniffing what a body really is (ANAF's content types are not to be trusted).
 */

/** UTF-8 without a BOM; never throws (bad bytes become U+FFFD). */
export function decodeText(body: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * For comparisons only: lower case, Romanian diacritics removed (comma and cedilla forms),
 * every run of whitespace — NBSP included — turned into one space, trimmed.
 * NOTE: ANAF writes the same message with and without diacritics, and its reference
 * examples indent with U+00A0.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\u00a0\u2007\u202f\ufeff]+/g, ' ')
    .trim();
}

/** Collapses whitespace (NBSP included) without changing anything else: for display. */
export function squeeze(text: string): string {
  return text.replace(/[\s\u00a0\u2007\u202f\ufeff]+/g, ' ').trim();
}

export type BodyShape = 'empty' | 'zip' | 'pdf' | 'json' | 'xml' | 'html' | 'text';

const HEAD_BYTES = 1024;

/** What the first bytes say the body is, whatever the Content-Type claimed. */
export function sniff(body: Uint8Array, contentType: string | null = null): BodyShape {
  if (body.byteLength >= 2 && body[0] === 0x50 && body[1] === 0x4b) return 'zip';
  const head = decodeText(body.subarray(0, HEAD_BYTES)).trimStart();
  if (head === '') return 'empty';
  if (head.startsWith('%PDF-')) return 'pdf';
  const lower = head.toLowerCase();
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html')) return 'html';
  if (contentType !== null && /text\/html/i.test(contentType)) return 'html';
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  // An XHTML page may open with an XML declaration.
  if (head.startsWith('<')) return lower.includes('<html') ? 'html' : 'xml';
  // PDF allows junk before its header.
  if (head.includes('%PDF-')) return 'pdf';
  return 'text';
}

/** The first `max` characters of a body, for error messages and the ledger. */
export function preview(body: Uint8Array, max = 300): string {
  const text = squeeze(decodeText(body.subarray(0, max * 4)));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
