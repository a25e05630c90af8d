/**
 * `validare/FACT1|FCN` and `transformare/FACT1|FCN[/DA]` answers:
 *   200 `{stare:"ok"|"nok", Messages:[{message}], trace_id}`
 *   200 PDF bytes (transformare)
 *   404 `{timestamp,status,error,path}` (no standard in the path).
 * A "nok" is a verdict on the invoice unless ANAF's message says the request itself failed
 * (technical error, unknown standard, file too large to check): those are errors.
 */
import type { EfactError } from '../../../domain/errors.js';
import type { ValidationAnswer } from '../../../ports/platform.js';
import { anafError, anafTextError, classifyAnafText, type AnafReason } from '../classify.js';
import { fold, sniff } from '../text.js';
import {
  JSON_TRACE_ID,
  JSON_VALIDATION_MESSAGES,
  STATE_NOK,
  STATE_OK,
  TEXT_ACCEPTED_VALUES,
} from '../vocabulary.js';
import { checkTransport, jsonAnswerError, malformed, originOf, parseJson, type AnafAnswer, type ParseContext } from './answer.js';

interface ValidationJson {
  stare: string;
  messages: string[];
  traceId: string | null;
}

function readValidationJson(answer: AnafAnswer, ctx: ParseContext, expected: string): ValidationJson {
  const parsed = parseJson(answer.body);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw malformed(answer, ctx, expected);
  const o = parsed as Record<string, unknown>;
  if (typeof o.stare !== 'string') {
    throw jsonAnswerError(answer, ctx, answer.status === 400 ? 'PLATFORM_BAD_REQUEST' : 'PLATFORM_REFUSED', expected);
  }
  const list = o[JSON_VALIDATION_MESSAGES];
  const messages: string[] = [];
  if (Array.isArray(list)) {
    for (const m of list) {
      const text = typeof m === 'string' ? m : (m as Record<string, unknown> | null)?.message;
      if (typeof text === 'string') messages.push(text);
    }
  }
  const trace = o[JSON_TRACE_ID];
  return { stare: o.stare, messages, traceId: typeof trace === 'string' ? trace : null };
}

/** Reasons that mean the check did not happen, so there is no verdict to report. */
const REQUEST_FAILED: ReadonlySet<AnafReason> = new Set(['quota', 'no-rights', 'technical', 'too-large']);

/** The error when a nok is about the request rather than the invoice; null for a verdict. */
function requestFailure(v: ValidationJson, answer: AnafAnswer, ctx: ParseContext): EfactError | null {
  const failed = v.messages.filter((m) => {
    // Only ANAF's own parameter text counts: a rule text may well say "nu este un numar".
    if (fold(m).startsWith(fold(TEXT_ACCEPTED_VALUES))) return true;
    return REQUEST_FAILED.has(classifyAnafText(m).reason);
  });
  if (failed.length === 0) return null;
  return anafTextError(failed, originOf(answer, ctx), {
    unrecognised: 'PLATFORM_BAD_REQUEST',
    details: { traceId: v.traceId, ...(v.messages.length > 1 ? { messages: v.messages } : {}) },
  });
}

export function parseValidationResponse(answer: AnafAnswer, ctx: ParseContext): ValidationAnswer {
  const expected = 'validation JSON';
  checkTransport(answer, ctx);
  if (sniff(answer.body, answer.contentType) !== 'json') {
    if (answer.status === 400) throw jsonAnswerError(answer, ctx, 'PLATFORM_BAD_REQUEST', expected);
    throw malformed(answer, ctx, expected);
  }
  const v = readValidationJson(answer, ctx, expected);
  const stare = fold(v.stare);
  if (stare === STATE_OK) return { ok: true, messages: v.messages, traceId: v.traceId };
  if (stare !== STATE_NOK) throw malformed(answer, ctx, `${expected} with stare ok|nok`);
  const failure = requestFailure(v, answer, ctx);
  if (failure) throw failure;
  return { ok: false, messages: v.messages, traceId: v.traceId };
}

/** PDF bytes; a "nok" becomes PLATFORM_REFUSED carrying ANAF's messages (or the request's failure). */
export function parsePdfResponse(answer: AnafAnswer, ctx: ParseContext): Uint8Array {
  const expected = 'PDF';
  checkTransport(answer, ctx);
  const shape = sniff(answer.body, answer.contentType);
  if (shape === 'pdf' && answer.status !== 400) return answer.body;
  if (shape !== 'json') {
    if (answer.status === 400) throw jsonAnswerError(answer, ctx, 'PLATFORM_BAD_REQUEST', expected);
    throw malformed(answer, ctx, expected);
  }
  const v = readValidationJson(answer, ctx, `${expected} or validation JSON`);
  if (fold(v.stare) !== STATE_NOK) throw malformed(answer, ctx, `${expected} (got validation JSON with stare=${v.stare})`);
  const failure = requestFailure(v, answer, ctx);
  if (failure) throw failure;
  // A verdict is the invoice's fault whatever its wording: always PLATFORM_REFUSED.
  const platformMessage = (v.messages.length > 0 ? v.messages : [v.stare]).join('\n');
  throw anafError('PLATFORM_REFUSED', 'invalid-file', originOf(answer, ctx), {
    platformMessage,
    details: { traceId: v.traceId, messages: v.messages },
  });
}
