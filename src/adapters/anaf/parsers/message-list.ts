/**
 * `listaMesajeFactura` and `listaMesajePaginatieFactura` answers:
 *   200 `{mesaje:[{data_creare,cif,id_solicitare,detalii,tip,id}], serial, cui, titlu}` (+ paging fields)
 *   200 / 400 `{eroare, titlu}`: "Nu exista mesaje ..." is an EMPTY list; other texts are errors
 *   400 `{timestamp,status,error,message}`.
 */
import type { MessageListEntry } from '../../../ports/platform.js';
import { anafTextError, classifyAnafTexts } from '../classify.js';
import { parseAnafMinute } from '../time.js';
import { sniff } from '../text.js';
import {
  JSON_CURRENT_PAGE,
  JSON_ERROR,
  JSON_MESSAGES,
  JSON_PAGE_COUNT,
  JSON_PAGE_SIZE,
  JSON_TITLE,
  JSON_TOTAL_COUNT,
  JSON_TOTAL_PAGES,
} from '../vocabulary.js';
import { jsonAnswerError, jsonErrorTexts, malformed, originOf, parseJson, checkTransport, type AnafAnswer, type ParseContext } from './answer.js';
import { messageKindOf, parseMessageDetails } from './message-details.js';

export interface MessageListPaging {
  /** `numar_inregistrari_in_pagina` */
  pageCount: number;
  /** `numar_total_inregistrari_per_pagina` (500) */
  pageSize: number;
  /** `numar_total_inregistrari` */
  totalCount: number;
  /** `numar_total_pagini` */
  totalPages: number;
  /** `index_pagina_curenta` */
  currentPage: number;
}

export interface MessageListPage {
  entries: MessageListEntry[];
  /** Present on the paginated list's answers; null on the simple list and on "no messages". */
  paging: MessageListPaging | null;
  serial: string | null;
  cui: string | null;
  /** `titlu`, or ANAF's "Nu exista mesaje ..." text for an empty list. */
  title: string | null;
}

const EXPECTED = 'message list JSON';

/** ANAF says every field is a string; numbers are tolerated (ids stay strings either way). */
function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function count(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) return Number(v);
  return null;
}

/** One `mesaje` entry; null when it is not an object at all. */
export function parseMessageEntry(raw: unknown): MessageListEntry | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  const id = str(o.id)?.trim() ?? '';
  const details = str(o.detalii) ?? '';
  const rawType = str(o.tip) ?? '';
  const parsed = parseMessageDetails(details);
  const entry: MessageListEntry = {
    // NOTE: entries without `id` have been reported; they cannot be downloaded.
    id: id === '' ? null : id,
    uploadId: str(o.id_solicitare)?.trim() ?? parsed.uploadId ?? '',
    cif: str(o.cif)?.trim() ?? '',
    kind: messageKindOf(rawType),
    rawType,
    details,
    createdAt: parseAnafMinute(str(o.data_creare)),
  };
  if (parsed.issuerCif !== undefined) entry.issuerCif = parsed.issuerCif;
  if (parsed.receiverCif !== undefined) entry.receiverCif = parsed.receiverCif;
  if (parsed.selfBilled !== undefined) entry.selfBilled = parsed.selfBilled;
  return entry;
}

function pagingOf(o: Record<string, unknown>): MessageListPaging | null {
  const totalPages = count(o[JSON_TOTAL_PAGES]);
  if (totalPages === null) return null;
  return {
    pageCount: count(o[JSON_PAGE_COUNT]) ?? 0,
    pageSize: count(o[JSON_PAGE_SIZE]) ?? 0,
    totalCount: count(o[JSON_TOTAL_COUNT]) ?? 0,
    totalPages,
    currentPage: count(o[JSON_CURRENT_PAGE]) ?? 0,
  };
}

export function parseMessageListResponse(answer: AnafAnswer, ctx: ParseContext): MessageListPage {
  checkTransport(answer, ctx);
  const shape = sniff(answer.body, answer.contentType);
  if (shape !== 'json') {
    if (answer.status === 400) throw jsonAnswerError(answer, ctx, 'PLATFORM_BAD_REQUEST', EXPECTED);
    throw malformed(answer, ctx, EXPECTED);
  }
  const parsed = parseJson(answer.body);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    // Unparseable JSON may still carry an `eroare` we can read.
    const texts = jsonErrorTexts(answer.body);
    if (texts.length > 0) return errorOrEmpty(texts, null, answer, ctx);
    throw malformed(answer, ctx, EXPECTED);
  }
  const o = parsed as Record<string, unknown>;
  const title = str(o[JSON_TITLE]);
  const eroare = str(o[JSON_ERROR]);
  if (eroare !== null && o[JSON_MESSAGES] === undefined) return errorOrEmpty([eroare], title, answer, ctx);
  const list = o[JSON_MESSAGES];
  if (!Array.isArray(list)) {
    throw jsonAnswerError(answer, ctx, answer.status === 400 ? 'PLATFORM_BAD_REQUEST' : 'PLATFORM_REFUSED', EXPECTED);
  }
  const entries: MessageListEntry[] = [];
  for (const raw of list) {
    const entry = parseMessageEntry(raw);
    if (entry === null) throw malformed(answer, ctx, `${EXPECTED} whose ${JSON_MESSAGES} are objects`);
    entries.push(entry);
  }
  return { entries, paging: pagingOf(o), serial: str(o.serial), cui: str(o.cui), title };
}

function errorOrEmpty(texts: string[], title: string | null, answer: AnafAnswer, ctx: ParseContext): MessageListPage {
  // NOTE: "Nu exista mesaje ..." is ANAF's way to say the list is empty (under 200 on the simple
  // list, filed under 400 in the paginated list's description).
  if (classifyAnafTexts(texts).reason === 'no-messages') {
    return { entries: [], paging: null, serial: null, cui: null, title: texts[0] ?? title };
  }
  throw anafTextError(texts, originOf(answer, ctx), {
    unrecognised: answer.status === 400 ? 'PLATFORM_BAD_REQUEST' : 'PLATFORM_REFUSED',
  });
}
