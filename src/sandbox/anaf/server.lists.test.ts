import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatAnafDateTime } from '../../adapters/anaf/time.js';
import { buildSampleInvoice } from './sample-invoice.js';
import { BUYER_CIF, getJson, rest, startTestSandbox, SUPPLIER_CIF, upload, type TestSandbox } from './test-helpers.js';

const DAY = 24 * 60 * 60 * 1000;
let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox({ tokens: { 'sandbox-test-token': [SUPPLIER_CIF, BUYER_CIF], empty: [] } });
});
afterEach(async () => {
  await t.sandbox.close();
});

type Entry = Record<string, string>;
const simple = (query: Record<string, string>, token?: string) => getJson(t.sandbox, rest('test', 'listaMesajeFactura', query), token);
const paged = (query: Record<string, string>) => getJson(t.sandbox, rest('test', 'listaMesajePaginatieFactura', query));

function injectReceived(count: number, at?: Date): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(t.sandbox.injectIncomingInvoice({ buyerCif: SUPPLIER_CIF, xml: '<x/>', ...(at ? { at } : {}) }).id);
  }
  return ids;
}

describe('listaMesajeFactura', () => {
  it('answers missing parameters with HTTP 400', async () => {
    const res = await simple({ cif: SUPPLIER_CIF });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Parametrii zile si cif sunt obligatorii');
  });

  const errors: Array<[string, Record<string, string>, string]> = [
    ['non-numeric cif', { zile: '1', cif: 'aaa' }, 'CIF introdus= aaa nu este un numar'],
    ['non-integer days', { zile: 'aaa', cif: SUPPLIER_CIF }, 'Numarul de zile introdus= aaa nu este un numar intreg'],
    ['days out of range', { zile: '61', cif: SUPPLIER_CIF }, 'Numarul de zile trebuie sa fie intre 1 si 60'],
    ['zero days', { zile: '0', cif: SUPPLIER_CIF }, 'Numarul de zile trebuie sa fie intre 1 si 60'],
    ['a bad filter', { zile: '1', cif: SUPPLIER_CIF, filtru: 'X' }, 'Valorile acceptate pentru parametrul filtru sunt E, T, P sau R'],
    ['a cif without rights', { zile: '1', cif: '8000000000' }, 'Nu aveti drept in SPV pentru CIF=8000000000'],
    ['no messages', { zile: '15', cif: SUPPLIER_CIF }, 'Nu exista mesaje in ultimele 15 zile'],
  ];
  it.each(errors)('answers %s with {eroare, titlu} in HTTP 200', async (_name, query, eroare) => {
    const res = await simple(query);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ eroare, titlu: 'Lista Mesaje' });
  });

  it('answers a token without any rights', async () => {
    expect((await simple({ zile: '1', cif: SUPPLIER_CIF }, 'empty')).body.eroare).toBe('Nu exista niciun CIF pentru care sa aveti drept in SPV');
  });

  it('refuses more than 500 results', async () => {
    injectReceived(501);
    expect((await simple({ zile: '1', cif: SUPPLIER_CIF })).body.eroare).toBe(
      'Lista de mesaje este mai mare decat numarul de 500 elemente permise in pagina. Folositi endpoint-ul cu paginatie.',
    );
  });

  it('filters by kind and lists newest first, every field a string', async () => {
    const xml = buildSampleInvoice({ supplierCif: SUPPLIER_CIF, buyerCif: BUYER_CIF, id: 'L-1', issueDate: '2026-03-09' });
    await upload(t.sandbox, xml);
    await upload(t.sandbox, xml.replace('<cbc:ID>L-1</cbc:ID>', '<cbc:ID>L-2</cbc:ID>').replace('CIUS-RO:1.0.1', 'CIUS-RO:1.0.0'));
    t.clock.advance(60_000);
    const [received] = injectReceived(1);
    t.clock.advance(2000);
    const all = (await simple({ zile: '1', cif: SUPPLIER_CIF })).body.mesaje as Entry[];
    expect(all.map((m) => m.tip)).toEqual(['FACTURA PRIMITA', 'ERORI FACTURA', 'FACTURA TRIMISA']);
    expect(all[0]!.id).toBe(received);
    for (const m of all) for (const v of Object.values(m)) expect(typeof v).toBe('string');
    const byFilter = async (filtru: string) => ((await simple({ zile: '1', cif: SUPPLIER_CIF, filtru })).body.mesaje as Entry[]).map((m) => m.tip);
    expect(await byFilter('E')).toEqual(['ERORI FACTURA']);
    expect(await byFilter('T')).toEqual(['FACTURA TRIMISA']);
    expect(await byFilter('P')).toEqual(['FACTURA PRIMITA']);
    expect((await simple({ zile: '1', cif: SUPPLIER_CIF, filtru: 'R' })).body.eroare).toBe('Nu exista mesaje in ultimele 1 zile');
  });

  it('forgets messages older than 60 days', async () => {
    injectReceived(1);
    t.clock.advance(59 * DAY);
    expect((await simple({ zile: '60', cif: SUPPLIER_CIF })).body.mesaje).toHaveLength(1);
    expect((await simple({ zile: '58', cif: SUPPLIER_CIF })).body.eroare).toBe('Nu exista mesaje in ultimele 58 zile');
    t.clock.advance(2 * DAY);
    expect((await simple({ zile: '60', cif: SUPPLIER_CIF })).body.eroare).toBe('Nu exista mesaje in ultimele 60 zile');
  });
});

describe('listaMesajePaginatieFactura', () => {
  const now = (): number => t.clock.now().getTime();

  it('pages 500 at a time across several pages, stably', async () => {
    const start = now() - 1000;
    const ids = injectReceived(1203);
    t.clock.advance(1000);
    const end = now();
    const seen: string[] = [];
    for (const pagina of [1, 2, 3]) {
      const res = await paged({ startTime: String(start), endTime: String(end), cif: SUPPLIER_CIF, pagina: String(pagina) });
      expect(res.status).toBe(200);
      const expectedCount = pagina < 3 ? 500 : 203;
      expect(res.body).toMatchObject({
        numar_inregistrari_in_pagina: expectedCount,
        numar_total_inregistrari_per_pagina: 500,
        numar_total_inregistrari: 1203,
        numar_total_pagini: 3,
        index_pagina_curenta: pagina,
        serial: '1234AA456',
        cui: SUPPLIER_CIF,
        titlu: `Lista Mesaje disponibile din intervalul ${formatAnafDateTime(new Date(start))} - ${formatAnafDateTime(new Date(end))}`,
      });
      seen.push(...(res.body.mesaje as Entry[]).map((m) => m.id!));
    }
    expect(new Set(seen).size).toBe(1203);
    expect([...seen].sort()).toEqual([...ids].sort());
    // Same ordering on a second pass.
    const again = await paged({ startTime: String(start), endTime: String(end), cif: SUPPLIER_CIF, pagina: '2' });
    expect((again.body.mesaje as Entry[]).map((m) => m.id)).toEqual(seen.slice(500, 1000));
    const beyond = await paged({ startTime: String(start), endTime: String(end), cif: SUPPLIER_CIF, pagina: '4' });
    expect(beyond.body).toEqual({ eroare: 'Pagina solicitata 4 este mai mare decat numarul toatal de pagini 3', titlu: 'Lista Mesaje' });
  });

  it('validates its parameters with ANAF\'s texts', async () => {
    const n = now();
    const fmt = (ms: number): string => formatAnafDateTime(new Date(ms));
    const missing = await paged({ startTime: String(n - 1000), cif: SUPPLIER_CIF, pagina: '1' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe('Parametrii startTime, endTime, cif si pagina sunt obligatorii');
    const cases: Array<[Record<string, string>, string]> = [
      [{ startTime: 'aaa', endTime: String(n), cif: SUPPLIER_CIF, pagina: '1' }, 'startTime = aaa nu este un numar sau nu are o valoare acceptata de sistem'],
      [{ startTime: String(n - 1), endTime: 'aaa', cif: SUPPLIER_CIF, pagina: '1' }, 'endTime = aaa nu este un numar sau nu are o valoare acceptata de sistem'],
      [{ startTime: String(n - 1), endTime: String(n), cif: SUPPLIER_CIF, pagina: 'aa' }, 'pagina = aa nu este un numar sau nu are o valoare acceptata de sistem'],
      [{ startTime: String(n - 1), endTime: String(n), cif: 'aaa', pagina: '1' }, 'CIF introdus= aaa nu este un numar sau nu are o valoare acceptata de sistem'],
      [{ startTime: String(n - 61 * DAY), endTime: String(n), cif: SUPPLIER_CIF, pagina: '1' }, `startTime = ${fmt(n - 61 * DAY)} nu poate fi mai vechi de 60 de zile fata de momentul requestului`],
      [{ startTime: String(n - 1000), endTime: String(n - 2000), cif: SUPPLIER_CIF, pagina: '1' }, `endTime = ${fmt(n - 2000)} nu poate fi <= startTime = ${fmt(n - 1000)}`],
      [{ startTime: String(n - 1000), endTime: String(n + DAY), cif: SUPPLIER_CIF, pagina: '1' }, `endTime = ${fmt(n + DAY)} nu poate in viitor fata de momentul requestului`],
      [{ startTime: String(n - 1000), endTime: String(n), cif: SUPPLIER_CIF, pagina: '1', filtru: 'Z' }, 'Valorile acceptate pentru parametrul filtru sunt E, T, P sau R'],
      [{ startTime: String(n - 1000), endTime: String(n), cif: SUPPLIER_CIF, pagina: '1' }, 'Nu exista mesaje in intervalul selectat'],
    ];
    for (const [query, eroare] of cases) {
      const res = await paged(query);
      // NOTE: ANAF's description files these under HTTP 400 (the default here).
      expect(res.status, eroare).toBe(400);
      expect(res.body).toEqual({ eroare, titlu: 'Lista Mesaje' });
    }
  });

  it('can answer its errors in HTTP 200 when asked', async () => {
    await t.sandbox.close();
    t = await startTestSandbox({ pagedListErrorStatus: 200 });
    const n = now();
    const res = await paged({ startTime: String(n - 1000), endTime: String(n), cif: SUPPLIER_CIF, pagina: '1' });
    expect(res.status).toBe(200);
    expect(res.body.eroare).toBe('Nu exista mesaje in intervalul selectat');
  });
});
