/** The client against a local fake ANAF (node:http on 127.0.0.1, a free port). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EfactError } from '../../domain/errors.js';
import type { CallLedger, PlatformCallRecord } from '../../ports/call-ledger.js';
import type { CallContext } from '../../ports/platform.js';
import type { GovernedCall, GovernorSnapshot, RateGovernor } from '../../ports/rate-governor.js';
import { ManualClock } from '../clock/manual-clock.js';
import { AnafClient } from './client.js';

interface Seen {
  method: string;
  path: string;
  query: Array<[string, string]>;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

type Reply = { status?: number; type?: string; body?: string | Uint8Array; headers?: Record<string, string> } | 'hang' | 'drop';

let server: Server;
let base: string;
let seen: Seen[] = [];
let reply: (s: Seen) => Reply = () => ({ status: 500 });

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const s: Seen = { method: req.method ?? '', path: url.pathname, query: [...url.searchParams], headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(s);
      const r = reply(s);
      if (r === 'hang') return;
      if (r === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(r.status ?? 200, { 'content-type': r.type ?? 'application/json', ...(r.headers ?? {}) });
      res.end(r.body === undefined ? '' : Buffer.from(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

class FakeGovernor implements RateGovernor {
  acquired: GovernedCall[] = [];
  reported: Array<{ call: GovernedCall; error: EfactError }> = [];
  refuse: EfactError | null = null;
  async acquire(call: GovernedCall): Promise<void> {
    if (this.refuse) throw this.refuse;
    this.acquired.push(call);
  }
  reportQuota(call: GovernedCall, error: EfactError): void {
    this.reported.push({ call, error });
  }
  isPaused(): Date | null {
    return null;
  }
  snapshot(): GovernorSnapshot {
    return { callsThisMinute: this.acquired.length, perMinuteLimit: 1000, quotas: [] };
  }
}

class FakeLedger implements CallLedger {
  records: PlatformCallRecord[] = [];
  record(call: PlatformCallRecord): void {
    this.records.push(call);
  }
}

let governor: FakeGovernor;
let ledger: FakeLedger;
let clock: ManualClock;
let client: AnafClient;
const context: CallContext = { environment: 'test', companyCif: 'RO8000000000', invoiceId: 7 };
const UPLOAD_NS = 'mfp:anaf:dgti:spv:respUploadFisier:v1';
const XML = new TextEncoder().encode('<Invoice>ă</Invoice>');

function makeClient(timeoutMs = 5000, token: () => string | Promise<string> = () => 'tok-123'): AnafClient {
  return new AnafClient({ apiBaseUrl: `${base}/`, publicBaseUrl: `${base}/public`, token, governor, ledger, instance: 'srv-1', timeoutMs, clock });
}

async function failure(p: Promise<unknown>): Promise<EfactError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(EfactError);
    return e as EfactError;
  }
  throw new Error('expected a failure');
}

beforeEach(() => {
  seen = [];
  governor = new FakeGovernor();
  ledger = new FakeLedger();
  clock = new ManualClock(new Date('2026-11-23T10:00:30Z'));
  client = makeClient();
});

const page = (n: number, total: number, ids: string[]): string =>
  JSON.stringify({
    mesaje: ids.map((id) => ({ data_creare: '202211011415', cif: '8000000000', id_solicitare: `5${id}`, detalii: 'x', tip: 'FACTURA TRIMISA', id })),
    numar_inregistrari_in_pagina: ids.length,
    numar_total_inregistrari_per_pagina: 500,
    numar_total_inregistrari: total * 2,
    numar_total_pagini: total,
    index_pagina_curenta: n,
    serial: 's',
    cui: '8000000000',
    titlu: 't',
  });

describe('AnafClient requests', () => {
  it('uploads raw XML with the query ANAF expects, the bearer token and digits-only CIF', async () => {
    reply = () => ({ type: 'application/xml', body: `<header xmlns="${UPLOAD_NS}" dateResponse="202611231200" ExecutionStatus="0" index_incarcare="5001120362"/>` });
    const receipt = await client.upload({ context, xml: XML, standard: 'UBL', flags: { extern: true, autofactura: true, executare: true } });
    expect(receipt).toEqual({ uploadId: '5001120362', respondedAt: new Date('2026-11-23T10:00:00Z') });
    const s = seen[0]!;
    expect(s.method).toBe('POST');
    expect(s.path).toBe('/test/FCTEL/rest/upload');
    expect(s.query).toEqual([['standard', 'UBL'], ['cif', '8000000000'], ['extern', 'DA'], ['autofactura', 'DA'], ['executare', 'DA']]);
    expect(s.headers.authorization).toBe('Bearer tok-123');
    expect(s.headers['content-type']).toBe('text/plain');
    expect(new Uint8Array(s.body)).toEqual(XML);
    expect(governor.acquired).toEqual([{ endpoint: 'upload', context, standard: 'UBL' }]);
    expect(ledger.records[0]).toMatchObject({
      instance: 'srv-1', platform: 'anaf', environment: 'test', endpoint: 'upload', companyCif: '8000000000',
      invoiceId: 7, httpStatus: 200, outcome: 'ok', message: null, at: clock.now(),
    });
  });

  it('sends B2C invoices to uploadb2c, without flags', async () => {
    reply = () => ({ body: `<header xmlns="${UPLOAD_NS}" ExecutionStatus="0" index_incarcare="1"/>` });
    await client.upload({ context: { ...context, environment: 'prod' }, xml: XML, standard: 'CN', b2c: true });
    expect(seen[0]!.path).toBe('/prod/FCTEL/rest/uploadb2c');
    expect(seen[0]!.query).toEqual([['standard', 'CN'], ['cif', '8000000000']]);
    expect(governor.acquired[0]!.endpoint).toBe('uploadb2c');
  });

  it('asks stareMesaj with the upload id as messageId', async () => {
    reply = () => ({ body: '<header xmlns="mfp:anaf:dgti:efactura:stareMesajFactura:v1" stare="In prelucrare"/>' });
    expect(await client.status({ context, uploadId: '5001120362' })).toEqual({ state: 'processing' });
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.path).toBe('/test/FCTEL/rest/stareMesaj');
    expect(seen[0]!.query).toEqual([['id_incarcare', '5001120362']]);
    expect(governor.acquired[0]).toMatchObject({ endpoint: 'stareMesaj', messageId: '5001120362' });
  });

  it('lists messages with zile, cif and filtru', async () => {
    reply = () => ({ body: page(1, 1, ['1', '2']) });
    const list = await client.listMessages({ context, days: 5, filter: 'E' });
    expect(list.map((m) => m.id)).toEqual(['1', '2']);
    expect(seen[0]!.path).toBe('/test/FCTEL/rest/listaMesajeFactura');
    expect(seen[0]!.query).toEqual([['zile', '5'], ['cif', '8000000000'], ['filtru', 'E']]);
  });

  it('fetches every page of the paginated list, in Unix milliseconds', async () => {
    reply = (s) => {
      const n = Number(new Map(s.query).get('pagina'));
      return { body: page(n, 3, [`${n}a`, `${n}b`]) };
    };
    const start = new Date('2026-11-01T00:00:00Z');
    const end = new Date('2026-11-23T10:00:00Z');
    const list = await client.listMessagesPaged({ context, start, end });
    expect(list.map((m) => m.id)).toEqual(['1a', '1b', '2a', '2b', '3a', '3b']);
    expect(seen.map((s) => s.query)).toEqual(
      [1, 2, 3].map((n) => [['startTime', String(start.getTime())], ['endTime', String(end.getTime())], ['cif', '8000000000'], ['pagina', String(n)]]),
    );
    expect(seen[0]!.path).toBe('/test/FCTEL/rest/listaMesajePaginatieFactura');
    expect(governor.acquired).toHaveLength(3);
    expect(ledger.records).toHaveLength(3);
  });

  it('ends the paginated list when ANAF says the page is beyond the (shrunk) total', async () => {
    reply = (s) => {
      const n = Number(new Map(s.query).get('pagina'));
      if (n === 1) return { body: page(1, 3, ['x']) };
      return { status: 400, body: JSON.stringify({ eroare: `Pagina solicitata ${n} este mai mare decat numarul toatal de pagini 1`, titlu: 'Lista Mesaje' }) };
    };
    const list = await client.listMessagesPaged({ context, start: new Date(0), end: new Date(1000), filter: 'P' });
    expect(list.map((m) => m.id)).toEqual(['x']);
    expect(seen).toHaveLength(2);
    expect(seen[1]!.query.at(-1)).toEqual(['filtru', 'P']);
  });

  it('returns an empty list for "Nu exista mesaje"', async () => {
    reply = () => ({ body: JSON.stringify({ eroare: 'Nu exista mesaje in intervalul selectat', titlu: 'Lista Mesaje' }) });
    expect(await client.listMessagesPaged({ context, start: new Date(0), end: new Date(1000) })).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it('downloads the ZIP byte for byte', async () => {
    const zip = new Uint8Array(70_000);
    for (let i = 0; i < zip.length; i++) zip[i] = (i * 7 + 3) % 256;
    zip[0] = 0x50;
    zip[1] = 0x4b;
    reply = () => ({ type: 'application/octet-stream', body: zip });
    const got = await client.download({ context, downloadId: '3001474425' });
    expect(got).toEqual(zip);
    expect(seen[0]!.path).toBe('/test/FCTEL/rest/descarcare');
    expect(seen[0]!.query).toEqual([['id', '3001474425']]);
    expect(governor.acquired[0]).toMatchObject({ endpoint: 'descarcare', messageId: '3001474425' });
  });

  it('calls the public services without a token, on prod', async () => {
    reply = () => ({ body: '{"stare":"ok","trace_id":"t1"}' });
    expect(await client.validate({ context, xml: XML, standard: 'FACT1' })).toEqual({ ok: true, messages: [], traceId: 't1' });
    expect(seen[0]!.path).toBe('/public/prod/FCTEL/rest/validare/FACT1');
    expect(seen[0]!.headers.authorization).toBeUndefined();
    expect(seen[0]!.headers['content-type']).toBe('text/plain');

    reply = () => ({ type: 'application/pdf', body: '%PDF-1.4\n%%EOF' });
    await client.toPdf({ context, xml: XML, standard: 'FCN', validate: false });
    await client.toPdf({ context, xml: XML, standard: 'FACT1' });
    expect(seen.slice(1).map((s) => s.path)).toEqual(['/public/prod/FCTEL/rest/transformare/FCN/DA', '/public/prod/FCTEL/rest/transformare/FACT1']);

    reply = () => ({ body: JSON.stringify({ msg: 'Fișierele încărcate au fost validate cu succes' }) });
    expect((await client.verifySignature({ context, xml: XML, signature: new TextEncoder().encode('<sig/>') })).valid).toBe(true);
    const s = seen.at(-1)!;
    expect(s.path).toBe('/public/api/validate/signature');
    expect(s.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(s.body.toString()).toMatch(/name="file"; filename="factura.xml"/);
    expect(s.body.toString()).toMatch(/name="signature"; filename="semnatura.xml"/);
    expect(governor.acquired.map((c) => c.endpoint)).toEqual(['validare', 'transformare', 'transformare', 'validateSignature']);
  });
});

describe('AnafClient failures', () => {
  it('times out as PLATFORM_TIMEOUT; an upload that timed out is uncertain', async () => {
    reply = () => 'hang';
    client = makeClient(150);
    const e = await failure(client.upload({ context, xml: XML, standard: 'UBL' }));
    expect(e.code).toBe('PLATFORM_TIMEOUT');
    expect(e.kind).toBe('retryable');
    expect(e.details?.uncertain).toBe(true);
    expect(ledger.records[0]).toMatchObject({ endpoint: 'upload', httpStatus: null, outcome: 'retryable' });
    expect(governor.acquired).toHaveLength(1);
  });

  it('reports a dropped connection as PLATFORM_UNAVAILABLE', async () => {
    reply = () => 'drop';
    const e = await failure(client.status({ context, uploadId: '1' }));
    expect(e.code).toBe('PLATFORM_UNAVAILABLE');
    expect(ledger.records[0]).toMatchObject({ httpStatus: null, outcome: 'retryable' });
  });

  it('reports 5xx as PLATFORM_UNAVAILABLE with the status in the ledger', async () => {
    reply = () => ({ status: 503, body: '{"message":"Service Unavailable"}' });
    const e = await failure(client.download({ context, downloadId: '1' }));
    expect(e).toMatchObject({ code: 'PLATFORM_UNAVAILABLE', httpStatus: 503, endpoint: 'descarcare' });
    expect(ledger.records[0]).toMatchObject({ httpStatus: 503, outcome: 'retryable', message: 'Service Unavailable' });
  });

  it('obeys 429: a quota error until the next minute, reported to the governor', async () => {
    reply = () => ({ status: 429, body: '' });
    const e = await failure(client.listMessages({ context, days: 1 }));
    expect(e.code).toBe('PLATFORM_QUOTA');
    expect(e.retryAt).toEqual(new Date('2026-11-23T10:01:00Z'));
    expect(governor.reported).toHaveLength(1);
    expect(governor.reported[0]!.call.endpoint).toBe('listaMesajeFactura');
    expect(ledger.records[0]).toMatchObject({ httpStatus: 429, outcome: 'quota' });
  });

  it('reports ANAF daily quota texts to the governor with the next Bucharest midnight', async () => {
    reply = () => ({ body: '{"eroare":"S-au facut deja 10 descarcari de mesaj in cursul zilei","titlu":"Descarcare mesaj"}}' });
    const e = await failure(client.download({ context, downloadId: '99' }));
    expect(e.code).toBe('PLATFORM_QUOTA');
    expect(e.retryAt).toEqual(new Date('2026-11-23T22:00:00Z'));
    expect(governor.reported[0]!.call).toMatchObject({ endpoint: 'descarcare', messageId: '99' });
    expect(ledger.records[0]!.message).toBe('S-au facut deja 10 descarcari de mesaj in cursul zilei');
  });

  it('recognises a firewall page', async () => {
    reply = () => ({ type: 'text/html', body: '<html><body>The requested URL was rejected. Your support ID is: 1</body></html>' });
    const e = await failure(client.status({ context, uploadId: '1' }));
    expect(e.code).toBe('PLATFORM_FIREWALL');
    expect(ledger.records[0]).toMatchObject({ httpStatus: 200, outcome: 'retryable' });
  });

  it('marks an upload refused in a 200 as certain, with ANAF text verbatim', async () => {
    reply = () => ({ body: `<header xmlns="${UPLOAD_NS}" ExecutionStatus="1"><Errors errorMessage="Nu aveti drept in SPV pentru CIF=8000000000"/></header>` });
    const e = await failure(client.upload({ context, xml: XML, standard: 'UBL' }));
    expect(e).toMatchObject({ code: 'PLATFORM_AUTH', kind: 'auth', platformMessage: 'Nu aveti drept in SPV pentru CIF=8000000000', httpStatus: 200 });
    expect(e.details?.uncertain).toBeUndefined();
    expect(ledger.records[0]).toMatchObject({ outcome: 'auth', message: 'Nu aveti drept in SPV pentru CIF=8000000000' });
  });

  it('makes no call without a token, and none when the governor refuses', async () => {
    client = makeClient(5000, () => {
      throw new Error('no token yet');
    });
    expect((await failure(client.status({ context, uploadId: '1' }))).code).toBe('PLATFORM_AUTH');
    client = makeClient();
    governor.refuse = new EfactError('PLATFORM_QUOTA', 'daily quota used', { retryAt: new Date() });
    expect((await failure(client.status({ context, uploadId: '1' }))).code).toBe('PLATFORM_QUOTA');
    expect(seen).toHaveLength(0);
    expect(ledger.records).toHaveLength(0);
  });

  it("runs an upload's beforeSend after the governor and before the request; if it throws, nothing is sent", async () => {
    reply = () => ({ type: 'application/xml', body: `<header xmlns="${UPLOAD_NS}" ExecutionStatus="0" index_incarcare="5001"/>` });
    const order: string[] = [];
    const receipt = await client.upload({
      context,
      xml: XML,
      standard: 'UBL',
      beforeSend: async () => {
        order.push(`hook after ${governor.acquired.length} acquired, ${seen.length} seen`);
      },
    });
    expect(receipt.uploadId).toBe('5001');
    expect(order).toEqual(['hook after 1 acquired, 0 seen']);
    expect(seen).toHaveLength(1);

    // The governor refusing: the hook never runs.
    governor.refuse = new EfactError('PLATFORM_QUOTA', 'daily quota used', { retryAt: new Date() });
    await failure(client.upload({ context, xml: XML, standard: 'UBL', beforeSend: async () => void order.push('too early') }));
    expect(order).toHaveLength(1);
    governor.refuse = null;

    // The hook throwing: its error as it is, no request, no ledger line.
    const stop = new EfactError('FENCED', 'server 1 was taken over');
    const e = await failure(client.upload({ context, xml: XML, standard: 'UBL', beforeSend: () => Promise.reject(stop) }));
    expect(e).toBe(stop);
    expect(seen).toHaveLength(1);
    expect(ledger.records).toHaveLength(1);
  });

  it('refuses bad input before spending a call', async () => {
    expect((await failure(client.listMessages({ context, days: 61 }))).code).toBe('INVALID_REQUEST');
    expect((await failure(client.listMessages({ context: { ...context, companyCif: 'RO12A' }, days: 1 }))).code).toBe('INVALID_REQUEST');
    expect((await failure(client.upload({ context, xml: new Uint8Array(0), standard: 'UBL' }))).code).toBe('INVALID_REQUEST');
    expect(seen).toHaveLength(0);
    expect(governor.acquired).toHaveLength(0);
  });

  it('sends every call, failed or not, through the governor and into the ledger', async () => {
    const replies: Reply[] = ['drop', { status: 500 }, { status: 429 }, { type: 'text/html', body: '<html></html>' }, { body: '{"stare":"ok"}' }];
    let i = 0;
    reply = () => replies[i++]!;
    for (let k = 0; k < replies.length; k++) await client.validate({ context, xml: XML, standard: 'FACT1' }).catch(() => undefined);
    expect(governor.acquired).toHaveLength(5);
    expect(ledger.records.map((r) => [r.httpStatus, r.outcome])).toEqual([
      [null, 'retryable'],
      [500, 'retryable'],
      [429, 'quota'],
      [200, 'retryable'],
      [200, 'ok'],
    ]);
  });
});
