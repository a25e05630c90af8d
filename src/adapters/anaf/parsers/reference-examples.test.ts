/**
 * Walks EVERY response example in ANAF's API descriptions (each file, path, method, status,
 * media type, example name) through the parser of its endpoint and checks it against the
 * classification below. An example the table does not classify fails the test, so a new ANAF
 * example cannot slip through unclassified.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EfactError, type ErrorCode } from '../../../domain/errors.js';
import type { AnafEndpoint, UploadState } from '../../../ports/platform.js';
import { writeZip } from '../../../zip/zip.js';
import type { AnafReason } from '../classify.js';
import { nextAnafDayStart } from '../time.js';
import type { AnafAnswer, ParseContext } from './answer.js';
import { parseDownloadResponse } from './download-response.js';
import { parseMessageListResponse } from './message-list.js';
import { parseSignatureResponse } from './signature-response.js';
import { parseStatusResponse } from './status-response.js';
import { parseUploadResponse } from './upload-response.js';
import { parsePdfResponse, parseValidationResponse } from './validation-response.js';

const REF = path.resolve(process.cwd(), '../shared/reference/anaf-api');
const exists = existsSync(REF);
if (!exists) console.warn(`skipping ANAF reference examples: ${REF} is missing`);

type Expectation =
  | { receipt: { uploadId: string; respondedAt: string } }
  | { state: UploadState }
  | { list: number; totalPages?: number }
  | { empty: true }
  | { validation: { ok: boolean; messages: number } }
  | { signature: boolean }
  /** The example is a description ("fisier cu extensia zip"): real bytes are fed instead. */
  | { binary: 'zip' | 'pdf' }
  | { error: ErrorCode; reason: AnafReason };

const err = (error: ErrorCode, reason: AnafReason): Expectation => ({ error, reason });
const BAD = err('PLATFORM_BAD_REQUEST', 'bad-parameter');
const AUTH = err('PLATFORM_AUTH', 'no-rights');
const QUOTA = err('PLATFORM_QUOTA', 'quota');
const TECH = err('PLATFORM_UNAVAILABLE', 'technical');
const HTTP500 = err('PLATFORM_UNAVAILABLE', 'unavailable');
const NOT_FOUND = err('PLATFORM_REFUSED', 'not-found');
const NO_PATH = err('PLATFORM_BAD_REQUEST', 'unknown-path');
const TOO_LARGE = err('PLATFORM_REFUSED', 'too-large');

const UPLOAD: Record<string, Expectation> = {
  'factura a fost incarcata cu succes': { receipt: { uploadId: '3828', respondedAt: '2021-08-05T08:40:00.000Z' } },
  'nu a fost specificat un standard bun': BAD,
  'marimea fisierului estre prea mare': TOO_LARGE,
  'cif-ul trebuie sa fie numeric': BAD,
  'nu aveti dreptul de incarcare': AUTH,
  'nu aveti dreptul de incarcare pentru cif-ul specificat in request': AUTH,
  'fisierul transmis nu respecta structura UBL sau CII': err('PLATFORM_REFUSED', 'invalid-file'),
  'parametrul extern este completat dar este invalid': BAD,
  'parametrul autofactura este completat dar este invalid': BAD,
  'parametrul executare este completat dar este invalid': BAD,
  'parametrul executare este completat dar cif-ul nu este inregistrat in Registrul RO e-Factura executari silite': BAD,
  'a fost atinsa limita de apeluri zilnice': QUOTA,
  'eroare tehnica': TECH,
  'nu ati atasat nimic in request body': BAD,
  'nu ati completat parametrul standard sau cif': BAD,
  '(none)': HTTP500,
};

const PDF: Record<string, Expectation> = {
  'conversie cu succes': { binary: 'pdf' },
  'validare esuata': err('PLATFORM_REFUSED', 'invalid-file'),
  'standard invalid': BAD,
  'dimensiune prea mare': TOO_LARGE,
  'eroare tehica': TECH,
  'request invalid': NO_PATH,
};

/** Keyed by path, then example name ('(example)' for a lone `example`, '(none)' for no example). */
const TABLE: Record<string, Record<string, Expectation>> = {
  '/upload': UPLOAD,
  '/uploadb2c': UPLOAD,
  '/stareMesaj': {
    'factura a fost prelucrata cu succes': { state: { state: 'ok', downloadId: '1234' } },
    'factura nu a fost prelucrata cu succes': { state: { state: 'nok', downloadId: '123' } },
    'factura in prelucrare': { state: { state: 'processing' } },
    'factura nu a fost preluata de sistem': { state: { state: 'rejected', message: 'XML cu erori nepreluat de sistem' } },
    'nu aveti dreptul de interogare pentru indexul solicitat': AUTH,
    'nu aveti dreptul de interogare': AUTH,
    'index de incarcare nu este valid': BAD,
    'factura nu a fost identificata in sistem': NOT_FOUND,
    'a fost atinsa limita de apeluri zilnice': QUOTA,
    'nu ati completat parametrul id_incarcare': BAD,
  },
  '/listaMesajeFactura': {
    'cif-ul returneaza mesaje': { list: 2 },
    'cif este non numeric': BAD,
    'numar de zile este non numeric': BAD,
    'numar de zile incorect': BAD,
    'parametrul filtru invalid': BAD,
    'nu aveti drept pentru acest cif': AUTH,
    'lipsa drepturi SPV': AUTH,
    'nu exista mesaje': { empty: true },
    'limita mesaje in pagina atinsa': err('PLATFORM_REFUSED', 'too-many-use-paged'),
    'limita apeluri zilnice atinsa': QUOTA,
    'lipsa zile sau cif': BAD,
    '(none)': HTTP500,
  },
  '/listaMesajePaginatieFactura': {
    'cif-ul returneaza mesaje': { list: 2, totalPages: 29 },
    'lipsa startTime, endTime, cif sau pagina': BAD,
    'cif este non numeric': BAD,
    'startTime nu este un numar sau nu are o valoare acceptata de sistem': BAD,
    'endTime nu este un numar sau nu are o valoare acceptata de sistem': BAD,
    'pagina nu este un numar sau nu are o valoare acceptata de sistem': BAD,
    'startTime mai vechi de 60 de zile': err('PLATFORM_BAD_REQUEST', 'start-too-old'),
    'endTime inainte de startTime': err('PLATFORM_BAD_REQUEST', 'end-before-start'),
    'endTime in viitor': err('PLATFORM_BAD_REQUEST', 'end-in-future'),
    'parametrul filtru invalid': BAD,
    'nu aveti drept pentru acest cif': AUTH,
    'lipsa drepturi SPV': AUTH,
    'paginia mai mare decat total pagini': err('PLATFORM_BAD_REQUEST', 'page-beyond-total'),
    'nu exista mesaje': { empty: true },
    'limita apeluri zilnice atinsa': QUOTA,
    '(none)': HTTP500,
  },
  '/descarcare': {
    'factura a fost descarcata cu succes': { binary: 'zip' },
    'id-ul furnizat nu este valid': BAD,
    'a fost atinsa limita de apeluri zilnice': QUOTA,
    'nu aveti dreptul sa descarcati factura cu id-ul mentionat in request': AUTH,
    'nu exista nici o factura pentru id-ul solicitat': NOT_FOUND,
    'nu ati completat parametrul standard': BAD,
  },
  '/validare/{standard}': {
    'validare succes': { validation: { ok: true, messages: 0 } },
    'validare esuata': { validation: { ok: false, messages: 3 } },
    'standard invalid': BAD,
    'dimensiune prea mare': TOO_LARGE,
    'eroare tehica': TECH,
    'request invalid': NO_PATH,
  },
  '/transformare/{standard}': PDF,
  '/transformare/{standard}/{novld}': PDF,
  '/api/validate/signature': {
    'Validare fisiere incarcate': { signature: true },
    'Nevalidare fisiere incarcate': { signature: false },
    '(example)': err('INVALID_REQUEST', 'bad-parameter'),
  },
};

type Parser = (a: AnafAnswer, c: ParseContext) => unknown;
const PARSERS: Record<string, [AnafEndpoint, Parser]> = {
  '/upload': ['upload', parseUploadResponse],
  '/uploadb2c': ['uploadb2c', parseUploadResponse],
  '/stareMesaj': ['stareMesaj', parseStatusResponse],
  '/listaMesajeFactura': ['listaMesajeFactura', parseMessageListResponse],
  '/listaMesajePaginatieFactura': ['listaMesajePaginatieFactura', parseMessageListResponse],
  '/descarcare': ['descarcare', parseDownloadResponse],
  '/validare/{standard}': ['validare', parseValidationResponse],
  '/transformare/{standard}': ['transformare', parsePdfResponse],
  '/transformare/{standard}/{novld}': ['transformare', parsePdfResponse],
  '/api/validate/signature': ['validateSignature', parseSignatureResponse],
};

interface Occurrence {
  file: string;
  path: string;
  method: string;
  status: number;
  mediaType: string;
  name: string;
  /** null when the response has no example: an empty body is fed. */
  value: unknown;
}

function occurrences(): Occurrence[] {
  const out: Occurrence[] = [];
  for (const file of readdirSync(REF).filter((f) => f.endsWith('.json')).sort()) {
    const doc = JSON.parse(readFileSync(path.join(REF, file), 'utf8')) as { paths?: Record<string, Record<string, any>> };
    for (const [p, ops] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, response] of Object.entries<any>(op?.responses ?? {})) {
          for (const [mediaType, content] of Object.entries<any>(response?.content ?? {})) {
            const base = { file, path: p, method, status: Number(status), mediaType };
            const examples = Object.entries<any>(content?.examples ?? {});
            for (const [name, ex] of examples) out.push({ ...base, name, value: ex?.value });
            if (content?.example !== undefined) out.push({ ...base, name: '(example)', value: content.example });
            if (examples.length === 0 && content?.example === undefined) out.push({ ...base, name: '(none)', value: null });
          }
        }
      }
    }
  }
  return out;
}

const NOW = new Date('2026-11-23T10:00:00Z');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const bodyOf = (v: unknown): string => (v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
const label = (o: Occurrence): string => `${o.file} ${o.method.toUpperCase()} ${o.path} ${o.status} ${o.mediaType} «${o.name}»`;

function check(o: Occurrence, expectation: Expectation): void {
  const [endpoint, parse] = PARSERS[o.path]!;
  const ctx: ParseContext = { endpoint, now: NOW };
  const text = bodyOf(o.value);
  const answer = (body: Uint8Array): AnafAnswer => ({
    status: o.status,
    contentType: o.mediaType === '*/*' ? null : o.mediaType,
    body,
  });

  if ('error' in expectation) {
    let thrown: unknown;
    try {
      parse(answer(enc(text)), ctx);
    } catch (e) {
      thrown = e;
    }
    expect(thrown, label(o)).toBeInstanceOf(EfactError);
    const e = thrown as EfactError;
    expect({ code: e.code, reason: e.details?.reason }, label(o)).toEqual({ code: expectation.error, reason: expectation.reason });
    expect(e.endpoint).toBe(endpoint);
    expect(e.httpStatus).toBe(o.status);
    if (text !== '') expect(e.platformMessage, label(o)).toBeTruthy();
    // ANAF's words are kept verbatim.
    for (const line of (e.platformMessage ?? '').split('\n')) expect(text, label(o)).toContain(line);
    if (e.code === 'PLATFORM_QUOTA') expect(e.retryAt).toEqual(nextAnafDayStart(NOW));
    return;
  }
  if ('binary' in expectation) {
    // The example is only a description; it must not pass for the real thing...
    expect(() => parse(answer(enc(text)), ctx), label(o)).toThrowError(expect.objectContaining({ code: 'PLATFORM_MALFORMED_ANSWER' }));
    // ...and real bytes come back untouched.
    const bytes =
      expectation.binary === 'zip'
        ? writeZip({ '1.xml': enc('<a/>'), 'semnatura_1.xml': enc('<b/>') })
        : enc('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    expect(parse(answer(bytes), ctx)).toEqual(bytes);
    return;
  }
  const result = parse(answer(enc(text)), ctx) as any;
  if ('receipt' in expectation) {
    expect(result.uploadId).toBe(expectation.receipt.uploadId);
    expect(result.respondedAt.toISOString()).toBe(expectation.receipt.respondedAt);
  } else if ('state' in expectation) {
    expect(result, label(o)).toEqual(expectation.state);
  } else if ('list' in expectation) {
    expect(result.entries, label(o)).toHaveLength(expectation.list);
    for (const e of result.entries) {
      expect(typeof e.id).toBe('string');
      expect(e.kind).not.toBe('other');
      expect(e.createdAt).toBeInstanceOf(Date);
    }
    if (expectation.totalPages !== undefined) expect(result.paging?.totalPages).toBe(expectation.totalPages);
  } else if ('empty' in expectation) {
    expect(result.entries, label(o)).toEqual([]);
  } else if ('validation' in expectation) {
    expect(result.ok, label(o)).toBe(expectation.validation.ok);
    expect(result.messages).toHaveLength(expectation.validation.messages);
    expect(typeof result.traceId).toBe('string');
  } else if ('signature' in expectation) {
    expect(result.valid, label(o)).toBe(expectation.signature);
  }
}

describe.skipIf(!exists)('ANAF reference examples', () => {
  const all = exists ? occurrences() : [];

  it('finds the examples', () => {
    expect(all.length).toBeGreaterThan(100);
  });

  it('classifies every example in the files (no example left out of the table)', () => {
    const unknown = all.filter((o) => TABLE[o.path]?.[o.name] === undefined || PARSERS[o.path] === undefined);
    expect(unknown.map(label)).toEqual([]);
  });

  it('uses every row of the table', () => {
    const used = new Set(all.map((o) => `${o.path} ${o.name}`));
    const stale = Object.entries(TABLE).flatMap(([p, rows]) => Object.keys(rows).filter((n) => !used.has(`${p} ${n}`)).map((n) => `${p} «${n}»`));
    expect(stale).toEqual([]);
  });

  for (const o of all) {
    const expectation = TABLE[o.path]?.[o.name];
    if (expectation === undefined || PARSERS[o.path] === undefined) continue;
    it(label(o), () => check(o, expectation));
  }
});
