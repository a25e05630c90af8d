/**
 * What every parser shares: the shape of an HTTP answer, the failures that look alike on all
 * endpoints (firewall pages, 401/403, 429, 5xx, 404, redirects) and reading ANAF's JSON and XML.
 */
import type { EfactError, ErrorCode } from '../../../domain/errors.js';
import type { AnafEndpoint } from '../../../ports/platform.js';
import { parseXml, type XmlElement } from '../../../xml/parse.js';
import { anafError, anafTextError, type AnswerOrigin } from '../classify.js';
import { decodeText, fold, preview, sniff, squeeze } from '../text.js';
import {
  ATTR_ERROR_MESSAGE,
  JSON_ERROR,
  JSON_SIGNATURE_MESSAGE,
  JSON_VALIDATION_MESSAGES,
  TEXT_FIREWALL_REJECTED,
  XML_ERROR,
  XML_ERRORS,
} from '../vocabulary.js';

/** One HTTP answer, body as raw bytes (never decoded before the parser knows what it is). */
export interface AnafAnswer {
  status: number;
  contentType: string | null;
  body: Uint8Array;
  /** `Retry-After` (seconds or an HTTP date), when sent. */
  retryAfter?: string | null;
  /** `Location` of a redirect. */
  location?: string | null;
}

export interface ParseContext {
  endpoint: AnafEndpoint;
  /** Efact's clock: quota errors reset at the next ANAF day or minute from here. */
  now: Date;
}

export function originOf(answer: AnafAnswer, ctx: ParseContext): AnswerOrigin {
  return { endpoint: ctx.endpoint, httpStatus: answer.status, now: ctx.now };
}

/** Start of the minute after `now`: when the per-minute budget rolls over. */
export function nextMinuteStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
}

function retryAtAfter429(answer: AnafAnswer, now: Date): Date {
  let at = nextMinuteStart(now);
  const header = answer.retryAfter?.trim();
  if (header) {
    const ms = /^\d+$/.test(header) ? Number(header) * 1000 : Date.parse(header) - now.getTime();
    // A Retry-After later than the next minute is obeyed; an absurd one (over a day) is not.
    if (Number.isFinite(ms) && ms > 0 && ms < 86_400_000 && now.getTime() + ms > at.getTime()) {
      at = new Date(now.getTime() + ms);
    }
  }
  return at;
}

const asText = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** JSON.parse that returns undefined instead of throwing. */
export function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(decodeText(body)) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Pulls one string field out of text that should have been JSON but is not.
 * NOTE: one of ANAF's descarcare examples carries an extra `}` after the object.
 */
export function lenientStringField(text: string, field: string): string | null {
  const m = new RegExp(`"${field}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(text);
  if (!m) return null;
  try {
    return JSON.parse(`"${m[1]}"`) as string;
  } catch {
    return m[1] ?? null;
  }
}

/**
 * ANAF's error texts in a JSON body, in the order ANAF put them: `eroare` (lists, download),
 * `message` (Spring's `{timestamp,status,error,message}`), `msg` (signature check),
 * `Messages[].message` (validation). Empty when the body holds none.
 */
export function jsonErrorTexts(body: Uint8Array): string[] {
  const parsed = parseJson(body);
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const o = parsed as Record<string, unknown>;
    const texts: string[] = [];
    for (const key of [JSON_ERROR, 'message', JSON_SIGNATURE_MESSAGE]) {
      const t = asText(o[key]);
      if (t !== null) texts.push(t);
    }
    const list = o[JSON_VALIDATION_MESSAGES];
    if (Array.isArray(list)) {
      for (const m of list) {
        const t = typeof m === 'string' ? asText(m) : asText((m as Record<string, unknown> | null)?.message);
        if (t !== null) texts.push(t);
      }
    }
    if (texts.length === 0) {
      const t = asText(o.error);
      if (t !== null) texts.push(t);
    }
    return texts;
  }
  if (parsed !== undefined) return [];
  const text = decodeText(body);
  for (const key of [JSON_ERROR, 'message', JSON_SIGNATURE_MESSAGE]) {
    const t = lenientStringField(text, key);
    if (t !== null && t.trim() !== '') return [t];
  }
  return [];
}

export function malformed(answer: AnafAnswer, ctx: ParseContext, expected: string, cause?: unknown): EfactError {
  const shape = sniff(answer.body, answer.contentType);
  const got = cause instanceof Error ? `unreadable ${shape}: ${cause.message}` : `got ${shape}`;
  return anafError('PLATFORM_MALFORMED_ANSWER', 'malformed', originOf(answer, ctx), {
    note: `expected ${expected}, ${got} (${answer.body.byteLength} bytes)`,
    details: { expected, got: shape, preview: preview(answer.body) },
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** The error for a JSON body holding ANAF texts; malformed when it holds none. */
export function jsonAnswerError(answer: AnafAnswer, ctx: ParseContext, unrecognised: ErrorCode, expected: string): EfactError {
  const texts = jsonErrorTexts(answer.body);
  if (texts.length === 0) return malformed(answer, ctx, expected);
  return anafTextError(texts, originOf(answer, ctx), { unrecognised });
}

function platformTextOf(answer: AnafAnswer): string | undefined {
  const texts = jsonErrorTexts(answer.body);
  if (texts.length > 0) return texts.join('\n');
  const p = preview(answer.body);
  return p === '' ? undefined : p;
}

/**
 * Failures that look the same on every endpoint. Throws for them; returns when the
 * endpoint's own parser should read the body (2xx and 400).
 */
export function checkTransport(answer: AnafAnswer, ctx: ParseContext): void {
  const origin = originOf(answer, ctx);
  const { status } = answer;
  const shape = sniff(answer.body, answer.contentType);
  if (shape !== 'zip' && shape !== 'pdf') {
    const head = decodeText(answer.body.subarray(0, 64 * 1024));
    // NOTE: ANAF's web firewall answers with an HTML page ("The requested URL was rejected"),
    // whatever the status. It passes; retry later.
    if (fold(head).includes(fold(TEXT_FIREWALL_REJECTED))) {
      throw anafError('PLATFORM_FIREWALL', 'firewall', origin, { platformMessage: squeeze(head).slice(0, 500) });
    }
  }
  if (status === 401 || status === 403) {
    const platformMessage = platformTextOf(answer);
    throw anafError('PLATFORM_AUTH', 'unauthorized', origin, platformMessage ? { platformMessage } : {});
  }
  if (status === 429) {
    const platformMessage = platformTextOf(answer);
    throw anafError('PLATFORM_QUOTA', 'rate-limit', origin, {
      retryAt: retryAtAfter429(answer, ctx.now),
      ...(platformMessage ? { platformMessage } : {}),
    });
  }
  if (status >= 500) {
    const platformMessage = platformTextOf(answer);
    throw anafError('PLATFORM_UNAVAILABLE', 'unavailable', origin, {
      note: `HTTP ${status}${platformMessage ? `: ${platformMessage}` : ''}`,
      ...(platformMessage ? { platformMessage } : {}),
    });
  }
  if (shape === 'html') {
    throw anafError('PLATFORM_FIREWALL', 'firewall', origin, { platformMessage: preview(answer.body, 500) });
  }
  if (status === 404) {
    const platformMessage = platformTextOf(answer);
    throw anafError('PLATFORM_BAD_REQUEST', 'unknown-path', origin, platformMessage ? { platformMessage } : {});
  }
  if (status >= 300 && status < 400) {
    throw anafError('PLATFORM_BAD_REQUEST', 'redirect', origin, {
      note: `HTTP ${status} to ${answer.location ?? '(no location)'}`,
      details: { location: answer.location ?? null },
    });
  }
  if (status === 400 || (status >= 200 && status < 300)) return;
  // Anything else (1xx, 405, 415, ...): Efact asked wrongly.
  const texts = jsonErrorTexts(answer.body);
  if (texts.length > 0) throw anafTextError(texts, origin, { unrecognised: 'PLATFORM_BAD_REQUEST' });
  throw anafError('PLATFORM_BAD_REQUEST', 'bad-parameter', origin, { note: `HTTP ${status}: ${preview(answer.body)}` });
}

/** Parses an XML answer with the one safe parser; anything unreadable is a malformed answer. */
export function parseAnswerXml(answer: AnafAnswer, ctx: ParseContext): XmlElement {
  try {
    return parseXml(answer.body, { maxBytes: 2 * 1024 * 1024, maxDepth: 20 });
  } catch (e) {
    throw malformed(answer, ctx, 'XML', e);
  }
}

/** Attribute by name, ignoring case (ANAF capitalises inconsistently). */
export function attr(el: XmlElement, name: string): string | null {
  if (el.attrs[name] !== undefined) return el.attrs[name]!;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(el.attrs)) if (k.toLowerCase() === lower) return v;
  return null;
}

/** `errorMessage` of every `<Errors>` / `<Error>` child, verbatim. */
export function errorMessages(root: XmlElement): string[] {
  const out: string[] = [];
  for (const c of root.children) {
    if (c.name !== XML_ERRORS && c.name !== XML_ERROR) continue;
    const m = attr(c, ATTR_ERROR_MESSAGE);
    if (m !== null && m.trim() !== '') out.push(m);
  }
  return out;
}
