/**
 * The one place where ANAF's Romanian error texts become typed errors. Every parser hands
 * the texts it finds (`errorMessage`, `eroare`, `message`, validation messages) to
 * `classifyAnafText`; the kind decides what the engine does next.
 */
import { EfactError, type ErrorCode } from '../../domain/errors.js';
import type { AnafEndpoint } from '../../ports/platform.js';
import { nextAnafDayStart } from './time.js';
import { fold } from './text.js';
import {
  MANDATORY_PARAMETERS_PATTERN,
  PAGE_BEYOND_TOTAL_PATTERN,
  QUOTA_PATTERN,
  TEXT_ACCEPTED_VALUES,
  TEXT_CIF_NOT_A_NUMBER,
  TEXT_DAYS_RANGE,
  TEXT_END_BEFORE_START,
  TEXT_END_IN_FUTURE,
  TEXT_EXPIRED,
  TEXT_FLAG_ONLY_DA,
  TEXT_INVALID_FILE,
  TEXT_LIST_TOO_LONG,
  TEXT_NO_FILE_ATTACHED,
  TEXT_NO_INVOICE_FOR_ID,
  TEXT_NO_INVOICE_FOR_UPLOAD,
  TEXT_NO_MESSAGES,
  TEXT_NOT_IN_ENFORCEMENT_REGISTER,
  TEXT_SAX_PARSE,
  TEXT_START_TOO_OLD,
  TEXT_TECHNICAL_ERROR,
  TEXT_UPLOAD_TOO_LARGE,
  TEXT_VALIDATION_TOO_LARGE,
} from './vocabulary.js';

/** Why ANAF said no, as far as its text tells. Put in `EfactError.details.reason`. */
export type AnafReason =
  /** A daily limit ("S-au facut deja N ... in cursul zilei"). */
  | 'quota'
  /** The per-minute limit (HTTP 429). */
  | 'rate-limit'
  /** No SPV rights: a person must grant them. */
  | 'no-rights'
  /** "A aparut o eroare tehnica": ANAF's own fault, try later. */
  | 'technical'
  /** The file failed ANAF's schema check (SAXParseException). */
  | 'invalid-file'
  | 'too-large'
  /** A request parameter ANAF did not accept: Efact's bug or configuration. */
  | 'bad-parameter'
  | 'start-too-old'
  | 'end-in-future'
  | 'end-before-start'
  | 'page-beyond-total'
  /** The simple list holds more than 500 messages: use the paginated list. */
  | 'too-many-use-paged'
  /** Unknown upload index or download id. */
  | 'not-found'
  /** Older than ANAF's 60-day retention. */
  | 'expired'
  /** "Nu exista mesaje ...": an empty list, not an error. */
  | 'no-messages'
  /** A text Efact does not know: treated as a refusal so a person sees it. */
  | 'unrecognised'
  // Reasons that come from HTTP rather than from ANAF's texts:
  /** HTTP 401/403. */
  | 'unauthorized'
  /** A web-application firewall page instead of the API's answer. */
  | 'firewall'
  /** HTTP 5xx or a dropped connection. */
  | 'unavailable'
  | 'timeout'
  /** HTTP 404: the path is not an ANAF service (wrong base URL). */
  | 'unknown-path'
  /** HTTP 3xx: the API does not redirect; the base URL is probably wrong. */
  | 'redirect'
  /** Not the XML/JSON/ZIP/PDF the endpoint answers with. */
  | 'malformed';

export interface AnafTextClass {
  reason: AnafReason;
  /** null only for 'no-messages', which is not an error. */
  code: ErrorCode | null;
  /** Numbers ANAF put in the text (limit reached, requested page, total pages). */
  facts?: Record<string, number>;
}

const has = (folded: string, text: string): boolean => folded.includes(fold(text));

/** Classifies one ANAF message text. Order matters: the more specific texts come first. */
export function classifyAnafText(text: string): AnafTextClass {
  const t = fold(text);
  const quota = QUOTA_PATTERN.exec(t);
  if (quota) return { reason: 'quota', code: 'PLATFORM_QUOTA', facts: { limit: Number(quota[1]) } };
  if (has(t, TEXT_TECHNICAL_ERROR)) return { reason: 'technical', code: 'PLATFORM_UNAVAILABLE' };
  if (t.startsWith(fold(TEXT_NO_MESSAGES))) return { reason: 'no-messages', code: null };
  if (has(t, TEXT_LIST_TOO_LONG) || t.includes('folositi endpoint-ul cu paginatie')) {
    return { reason: 'too-many-use-paged', code: 'PLATFORM_REFUSED' };
  }
  const page = PAGE_BEYOND_TOTAL_PATTERN.exec(t);
  if (page) {
    return {
      reason: 'page-beyond-total',
      code: 'PLATFORM_BAD_REQUEST',
      facts: { page: Number(page[1]), totalPages: Number(page[2]) },
    };
  }
  if (has(t, TEXT_EXPIRED)) return { reason: 'expired', code: 'PLATFORM_REFUSED' };
  if (has(t, TEXT_NO_INVOICE_FOR_UPLOAD) || has(t, TEXT_NO_INVOICE_FOR_ID)) {
    return { reason: 'not-found', code: 'PLATFORM_REFUSED' };
  }
  // "Nu aveti drept in SPV pentru CIF=", "Nu aveti dreptul de inteorgare ...", "Nu aveti dreptul sa descarcati ...",
  // "Nu exista niciun CIF pentru/petru care sa aveti drept [in SPV]".
  if (t.startsWith('nu aveti drept') || (t.startsWith('nu exista niciun cif') && t.includes('drept'))) {
    return { reason: 'no-rights', code: 'PLATFORM_AUTH' };
  }
  if (has(t, TEXT_UPLOAD_TOO_LARGE) || has(t, TEXT_VALIDATION_TOO_LARGE) || t.startsWith('marime fisier transmis mai mare')) {
    return { reason: 'too-large', code: 'PLATFORM_REFUSED' };
  }
  if (has(t, TEXT_INVALID_FILE) || has(t, TEXT_SAX_PARSE)) return { reason: 'invalid-file', code: 'PLATFORM_REFUSED' };
  if (has(t, TEXT_START_TOO_OLD)) return { reason: 'start-too-old', code: 'PLATFORM_BAD_REQUEST' };
  if (has(t, TEXT_END_IN_FUTURE)) return { reason: 'end-in-future', code: 'PLATFORM_BAD_REQUEST' };
  if (has(t, TEXT_END_BEFORE_START)) return { reason: 'end-before-start', code: 'PLATFORM_BAD_REQUEST' };
  if (
    has(t, TEXT_ACCEPTED_VALUES) ||
    has(t, TEXT_CIF_NOT_A_NUMBER) ||
    has(t, TEXT_FLAG_ONLY_DA) ||
    has(t, TEXT_NOT_IN_ENFORCEMENT_REGISTER) ||
    MANDATORY_PARAMETERS_PATTERN.test(t) ||
    has(t, TEXT_NO_FILE_ATTACHED) ||
    has(t, TEXT_DAYS_RANGE)
  ) {
    return { reason: 'bad-parameter', code: 'PLATFORM_BAD_REQUEST' };
  }
  return { reason: 'unrecognised', code: 'PLATFORM_REFUSED' };
}

/** When several texts come together, the one that most constrains what happens next decides. */
const PRIORITY: AnafReason[] = [
  'quota',
  'no-rights',
  'technical',
  'bad-parameter',
  'start-too-old',
  'end-in-future',
  'end-before-start',
  'page-beyond-total',
  'too-many-use-paged',
  'too-large',
  'invalid-file',
  'not-found',
  'expired',
  'unrecognised',
  'no-messages',
];

export function classifyAnafTexts(texts: readonly string[]): AnafTextClass {
  const classes = texts.map(classifyAnafText);
  if (classes.length === 0) return { reason: 'unrecognised', code: 'PLATFORM_REFUSED' };
  const rank = (r: AnafReason): number => {
    const i = PRIORITY.indexOf(r);
    return i < 0 ? PRIORITY.length : i;
  };
  return classes.reduce((best, c) => (rank(c.reason) < rank(best.reason) ? c : best));
}

/** Where an answer came from, for the error's fields. */
export interface AnswerOrigin {
  endpoint: AnafEndpoint;
  httpStatus: number | null;
  /** Now, by Efact's clock: quota errors reset at the next ANAF day. */
  now: Date;
}

const DESCRIPTIONS: Record<AnafReason, string> = {
  quota: 'a daily ANAF call limit is used up',
  'rate-limit': 'ANAF per-minute call limit reached',
  'no-rights': 'no SPV rights for this CIF; a person must grant them',
  technical: 'ANAF reported a technical error',
  'invalid-file': 'ANAF refused the file as invalid',
  'too-large': 'the file is larger than ANAF accepts',
  'bad-parameter': 'ANAF refused a request parameter',
  'start-too-old': 'the interval starts more than 60 days ago',
  'end-in-future': 'the interval ends in the future by ANAF\'s clock',
  'end-before-start': 'the interval ends before it starts',
  'page-beyond-total': 'the requested page is beyond the last page',
  'too-many-use-paged': 'more than 500 messages: the paginated list must be used',
  'not-found': 'ANAF knows no such message',
  expired: 'the answer is older than ANAF\'s 60-day retention',
  'no-messages': 'no messages',
  unrecognised: 'ANAF refused with a message Efact does not recognise',
  unauthorized: 'ANAF refused the credentials',
  firewall: 'ANAF\'s web firewall answered instead of the service',
  unavailable: 'ANAF is unavailable',
  timeout: 'ANAF did not answer in time',
  'unknown-path': 'ANAF does not know this path (check the base URL)',
  redirect: 'ANAF redirected the call (check the base URL)',
  malformed: 'ANAF answered with something that is not the expected format',
};

/** A short English description of a reason, for messages. */
export function describeReason(reason: AnafReason): string {
  return DESCRIPTIONS[reason];
}

/** Builds the EfactError for ANAF texts (one or several), keeping them verbatim. */
export function anafTextError(
  texts: readonly string[],
  origin: AnswerOrigin,
  options: { unrecognised?: ErrorCode; details?: Record<string, unknown> } = {},
): EfactError {
  const cls = classifyAnafTexts(texts);
  const platformMessage = texts.join('\n');
  const code: ErrorCode =
    cls.reason === 'unrecognised' ? (options.unrecognised ?? 'PLATFORM_REFUSED') : (cls.code ?? 'PLATFORM_REFUSED');
  const extra = options.details ?? {};
  return new EfactError(code, `ANAF ${origin.endpoint}: ${DESCRIPTIONS[cls.reason]}: ${platformMessage}`, {
    platformMessage,
    ...(origin.httpStatus !== null ? { httpStatus: origin.httpStatus } : {}),
    endpoint: origin.endpoint,
    ...(code === 'PLATFORM_QUOTA' ? { retryAt: nextAnafDayStart(origin.now) } : {}),
    details: { reason: cls.reason, ...(cls.facts ?? {}), ...(texts.length > 1 ? { messages: [...texts] } : {}), ...extra },
  });
}

/** An error with no ANAF text behind it (HTTP-level failures, malformed bodies). */
export function anafError(
  code: ErrorCode,
  reason: AnafReason,
  origin: Pick<AnswerOrigin, 'endpoint' | 'httpStatus'>,
  options: { note?: string; platformMessage?: string; retryAt?: Date; details?: Record<string, unknown>; cause?: unknown } = {},
): EfactError {
  const note = options.note ?? options.platformMessage;
  const message = `ANAF ${origin.endpoint}: ${DESCRIPTIONS[reason]}${note ? `: ${note}` : ''}`;
  return new EfactError(code, message, {
    ...(options.platformMessage !== undefined ? { platformMessage: options.platformMessage } : {}),
    ...(origin.httpStatus !== null ? { httpStatus: origin.httpStatus } : {}),
    endpoint: origin.endpoint,
    ...(options.retryAt !== undefined ? { retryAt: options.retryAt } : {}),
    details: { reason, ...(options.details ?? {}) },
    ...(options.cause !== undefined ? { cause: options.cause } : {}),
  });
}

/** The reason an EfactError from this client carries, if any. */
export function anafReasonOf(error: unknown): AnafReason | null {
  if (!(error instanceof EfactError)) return null;
  const reason = error.details?.reason;
  return typeof reason === 'string' ? (reason as AnafReason) : null;
}
