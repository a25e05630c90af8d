/** Hand-made variants of ANAF's answers: what integrators met beyond the reference examples. */
import { describe, expect, it } from 'vitest';
import { EfactError } from '../../../domain/errors.js';
import type { AnafEndpoint } from '../../../ports/platform.js';
import type { AnafAnswer, ParseContext } from './answer.js';
import { parseDownloadResponse } from './download-response.js';
import { parseMessageEntry, parseMessageListResponse } from './message-list.js';
import { messageKindOf, parseMessageDetails } from './message-details.js';
import { parseSignatureResponse } from './signature-response.js';
import { parseStatusResponse } from './status-response.js';
import { parseUploadResponse } from './upload-response.js';
import { parsePdfResponse, parseValidationResponse } from './validation-response.js';

const NOW = new Date('2026-11-23T10:00:30Z');
const ctx = (endpoint: AnafEndpoint): ParseContext => ({ endpoint, now: NOW });
const answer = (body: string | Uint8Array, status = 200, contentType: string | null = null, extra: Partial<AnafAnswer> = {}): AnafAnswer => ({
  status,
  contentType,
  body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
  ...extra,
});

function thrown(f: () => unknown): EfactError {
  try {
    f();
  } catch (e) {
    if (e instanceof EfactError) return e;
    throw e;
  }
  throw new Error('expected an EfactError');
}

const STATUS_NS = 'mfp:anaf:dgti:efactura:stareMesajFactura:v1';
const UPLOAD_NS = 'mfp:anaf:dgti:spv:respUploadFisier:v1';
const status = (attrs: string): string => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<header xmlns="${STATUS_NS}" ${attrs}/>`;

describe('status answer variants', () => {
  const parse = (body: string): unknown => parseStatusResponse(answer(body), ctx('stareMesaj'));

  it.each(['in prelucrare', 'In prelucrare', 'IN PRELUCRARE', '  in   prelucrare ', 'in\u00a0prelucrare'])('«%s» is processing', (stare) => {
    expect(parse(status(`stare="${stare}"`))).toEqual({ state: 'processing' });
  });

  it('reads capitalised ok/nok, keeps the id verbatim (leading zeros too)', () => {
    expect(parse(status('stare="OK" id_descarcare="0012345678901234567890"'))).toEqual({ state: 'ok', downloadId: '0012345678901234567890' });
    expect(parse(status('stare=" Nok " id_descarcare=" 77 "'))).toEqual({ state: 'nok', downloadId: '77' });
  });

  it('keeps the rejected text verbatim', () => {
    expect(parse(status('stare="xml cu erori  nepreluat de sistem"'))).toEqual({ state: 'rejected', message: 'xml cu erori  nepreluat de sistem' });
  });

  it('accepts a prefixed namespace, a BOM and CRLF', () => {
    const body = `\ufeff<?xml version="1.0"?>\r\n<ns2:header xmlns:ns2="${STATUS_NS}" stare="ok" id_descarcare="9"/>\r\n`;
    expect(parse(body)).toEqual({ state: 'ok', downloadId: '9' });
  });

  it('treats ok without id_descarcare, unknown states and truncated XML as malformed (retryable)', () => {
    for (const body of [status('stare="ok"'), status('stare="altceva"'), `<header xmlns="${STATUS_NS}" stare="o`, '', '   ']) {
      const e = thrown(() => parse(body));
      expect(e.code).toBe('PLATFORM_MALFORMED_ANSWER');
      expect(e.kind).toBe('retryable');
    }
  });

  it('reads <Errors> indented with NBSP and CRLF', () => {
    const body = `<header xmlns="${STATUS_NS}">\r\n\u00a0\u00a0 <Errors errorMessage="Nu exista factura cu id_incarcare= 15000"/>\r\n</header>`;
    const e = thrown(() => parse(body));
    expect(e.code).toBe('PLATFORM_REFUSED');
    expect(e.details?.reason).toBe('not-found');
    expect(e.platformMessage).toBe('Nu exista factura cu id_incarcare= 15000');
  });
});

describe('upload answer variants', () => {
  const parse = (a: AnafAnswer): unknown => parseUploadResponse(a, ctx('upload'));

  it('reads success without caring about whitespace, keeping the id as a string', () => {
    const body = `<header xmlns="${UPLOAD_NS}"\n  dateResponse="202601151205"  ExecutionStatus="0"\r\n index_incarcare="5001120362"/>`;
    expect(parse(answer(body))).toEqual({ uploadId: '5001120362', respondedAt: new Date('2026-01-15T10:05:00Z') });
  });

  it('tolerates an odd dateResponse', () => {
    expect(parse(answer(`<header xmlns="${UPLOAD_NS}" dateResponse="ieri" ExecutionStatus="0" index_incarcare="1"/>`))).toEqual({ uploadId: '1', respondedAt: null });
  });

  it('lets a quota message win among several errors', () => {
    const body = `<header xmlns="${UPLOAD_NS}" ExecutionStatus="1">\u00a0<Errors errorMessage="Fisierul transmis nu este valid."/><Errors errorMessage="S-au incarcat deja 1000 de mesaje de tip RASP pentru cui=1 in cursul zile"/></header>`;
    const e = thrown(() => parse(answer(body)));
    expect(e.code).toBe('PLATFORM_QUOTA');
    expect(e.details?.messages).toHaveLength(2);
  });

  it('treats ExecutionStatus 0 without index, truncated XML and empty bodies as malformed', () => {
    for (const body of [`<header xmlns="${UPLOAD_NS}" ExecutionStatus="0"/>`, `<header xmlns="${UPLOAD_NS}" ExecutionSta`, '']) {
      expect(thrown(() => parse(answer(body))).code).toBe('PLATFORM_MALFORMED_ANSWER');
    }
  });

  it('recognises firewall pages whatever the status or content type', () => {
    const page = '<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. Please consult with your administrator.<br><br>Your support ID is: 123</body></html>';
    for (const a of [answer(page), answer(page, 403), answer(page, 200, 'text/html'), answer('<!DOCTYPE html><p>x</p>')]) {
      const e = thrown(() => parse(a));
      expect(e.code).toBe('PLATFORM_FIREWALL');
      expect(e.kind).toBe('retryable');
    }
  });

  it('maps HTTP failures', () => {
    expect(thrown(() => parse(answer('', 500))).code).toBe('PLATFORM_UNAVAILABLE');
    expect(thrown(() => parse(answer('<html>Bad gateway</html>', 502, 'text/html'))).code).toBe('PLATFORM_UNAVAILABLE');
    expect(thrown(() => parse(answer('', 401))).code).toBe('PLATFORM_AUTH');
    expect(thrown(() => parse(answer('{"message":"Forbidden"}', 403))).platformMessage).toBe('Forbidden');
    const redirect = thrown(() => parse(answer('', 302, null, { location: 'https://elsewhere/' })));
    expect(redirect.details).toMatchObject({ reason: 'redirect', location: 'https://elsewhere/' });
  });

  it('answers 429 with a quota error until the next minute, or later when Retry-After says so', () => {
    const e = thrown(() => parse(answer('', 429)));
    expect(e.code).toBe('PLATFORM_QUOTA');
    expect(e.retryAt).toEqual(new Date('2026-11-23T10:01:00Z'));
    expect(thrown(() => parse(answer('', 429, null, { retryAfter: '120' }))).retryAt).toEqual(new Date('2026-11-23T10:02:30Z'));
  });

  it('reads a truncated Spring 400 as malformed, a complete one as bad request', () => {
    expect(thrown(() => parse(answer('{"timestamp":"05-08-2021', 400))).code).toBe('PLATFORM_MALFORMED_ANSWER');
    expect(thrown(() => parse(answer('{"status":400,"error":"Bad Request","message":"Parametrii standard si cif sunt obligatorii"}', 400))).code).toBe('PLATFORM_BAD_REQUEST');
  });
});

describe('message list variants', () => {
  const parse = (body: string, st = 200): ReturnType<typeof parseMessageListResponse> =>
    parseMessageListResponse(answer(body, st, 'application/json'), ctx('listaMesajeFactura'));

  it('keeps an entry without id, with id null', () => {
    const page = parse(JSON.stringify({ mesaje: [{ data_creare: '202211011415', cif: '8000000000', id_solicitare: '5', detalii: 'x', tip: 'FACTURA PRIMITA' }] }));
    expect(page.entries[0]).toMatchObject({ id: null, uploadId: '5', kind: 'invoice-received' });
  });

  it('tolerates numbers where strings are expected and odd dates', () => {
    const e = parseMessageEntry({ data_creare: 'azi', cif: 8000000000, id_solicitare: 5001120362, detalii: '', tip: 'ERORI FACTURA', id: 3001474425 });
    expect(e).toMatchObject({ id: '3001474425', uploadId: '5001120362', cif: '8000000000', createdAt: null, kind: 'invoice-errors' });
  });

  it('maps tip case- and space-insensitively', () => {
    expect(messageKindOf('factura trimisa')).toBe('invoice-sent');
    expect(messageKindOf(' Mesaj  cumparator primit ')).toBe('buyer-message-received');
    expect(messageKindOf('MESAJ CUMPARATOR TRANSMIS')).toBe('buyer-message-sent');
    expect(messageKindOf('FACTURA ANULATA')).toBe('other');
  });

  it('reads detalii for invoices, self-billing and errors', () => {
    expect(parseMessageDetails('Factura cu id_incarcare=5001131297 emisa de cif_emitent=8000000000 pentru cif_beneficiar=3')).toEqual({
      uploadId: '5001131297',
      issuerCif: '8000000000',
      receiverCif: '3',
      selfBilled: false,
    });
    expect(parseMessageDetails('Factura cu id_incarcare=42 transmisa de cif=123456789  ca autofactutra in numele cif=987654321')).toEqual({
      uploadId: '42',
      issuerCif: '987654321',
      receiverCif: '123456789',
      selfBilled: true,
    });
    expect(parseMessageDetails('Erori de validare identificate la factura transmisa cu id_incarcare=5001120366')).toEqual({ uploadId: '5001120366', errorsFor: 'sent' });
    expect(parseMessageDetails('ceva nou')).toEqual({});
  });

  it('puts parsed details on the entry', () => {
    const page = parse(JSON.stringify({ mesaje: [{ data_creare: '202401020304', cif: '123456789', id_solicitare: '42', detalii: 'Factura cu id_incarcare=42 transmisa de cif=123456789  ca autofactutra in numele cif=987654321', tip: 'FACTURA PRIMITA', id: '128' }] }));
    expect(page.entries[0]).toMatchObject({ issuerCif: '987654321', receiverCif: '123456789', selfBilled: true });
  });

  it('reads "Nu exista mesaje" as an empty list under 200 and 400', () => {
    const body = JSON.stringify({ eroare: 'Nu exista mesaje in intervalul selectat', titlu: 'Lista Mesaje' });
    expect(parse(body).entries).toEqual([]);
    expect(parse(body, 400).entries).toEqual([]);
  });

  it('treats truncated JSON and wrong shapes as malformed', () => {
    for (const body of ['{"mesaje":[{"id":"1"', '{"mesaje":"x"}', '{"mesaje":[1]}', 'null', '']) {
      expect(thrown(() => parse(body)).code).toBe('PLATFORM_MALFORMED_ANSWER');
    }
  });
});

describe('download answer variants', () => {
  const parse = (a: AnafAnswer): Uint8Array => parseDownloadResponse(a, ctx('descarcare'));

  it('returns ZIP bytes untouched whatever the content type says', () => {
    const zip = new Uint8Array([0x50, 0x4b, 3, 4, ...new Array(40).fill(0xff)]);
    expect(parse(answer(zip, 200, 'application/json'))).toBe(zip);
  });

  it('reads eroare from broken JSON', () => {
    expect(thrown(() => parse(answer('{"eroare":"Pentru id=21 nu exista inregistrata nici o factura"'))).details?.reason).toBe('not-found');
    expect(thrown(() => parse(answer('{"eroare":"Pentru id=1 a trecut perioada de 60 de zile","titlu":"Descarcare mesaj"}}'))).details?.reason).toBe('expired');
  });

  it('treats a truncated ZIP, an empty body and plain text as malformed', () => {
    for (const body of [new Uint8Array([0x50, 0x4b, 3]), '', 'ceva']) {
      expect(thrown(() => parse(answer(body))).code).toBe('PLATFORM_MALFORMED_ANSWER');
    }
  });
});

describe('validation, PDF and signature variants', () => {
  it('reads Messages given as plain strings', () => {
    const v = parseValidationResponse(answer('{"stare":"NOK","Messages":["E: x"],"trace_id":"t"}'), ctx('validare'));
    expect(v).toEqual({ ok: false, messages: ['E: x'], traceId: 't' });
  });

  it('keeps a rule text that happens to sound like a parameter error as a verdict', () => {
    const v = parseValidationResponse(answer('{"stare":"nok","Messages":[{"message":"E: [BR-RO-X] valoarea nu este un numar"}]}'), ctx('validare'));
    expect(v.ok).toBe(false);
  });

  it('turns a PDF refusal into PLATFORM_REFUSED joining the messages', () => {
    const e = thrown(() => parsePdfResponse(answer('{"stare":"nok","Messages":[{"message":"E: a"},{"message":"E: b"}],"trace_id":"t"}'), ctx('transformare')));
    expect(e.code).toBe('PLATFORM_REFUSED');
    expect(e.platformMessage).toBe('E: a\nE: b');
    expect(e.details).toMatchObject({ traceId: 't', messages: ['E: a', 'E: b'] });
  });

  it('refuses a body that is neither PDF nor JSON', () => {
    expect(thrown(() => parsePdfResponse(answer('fisierul Pdf'), ctx('transformare'))).code).toBe('PLATFORM_MALFORMED_ANSWER');
  });

  it('reads signature answers with or without diacritics', () => {
    const p = (msg: string): boolean => parseSignatureResponse(answer(JSON.stringify({ msg })), ctx('validateSignature')).valid;
    expect(p('Fisierele incarcate au fost validate cu succes, din perspectiva ...')).toBe(true);
    expect(p('Fișierele încărcate NU au putut fi validate cu succes')).toBe(false);
    expect(p('Altceva')).toBe(false);
    const e = thrown(() => parseSignatureResponse(answer('{"msg":"Eroare tehnică: request incorect."}', 400), ctx('validateSignature')));
    expect(e.kind).toBe('invalid-input');
    expect(e.platformMessage).toBe('Eroare tehnică: request incorect.');
  });
});
