import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextAnafDayStart } from '../../adapters/anaf/time.js';
import { readZip } from '../../zip/zip.js';
import { buildSampleInvoice } from './sample-invoice.js';
import { BUYER_CIF, call, getJson, rest, stareMesaj, startTestSandbox, SUPPLIER_CIF, upload, type TestSandbox } from './test-helpers.js';

const DAY = 24 * 60 * 60 * 1000;
let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox({ tokens: { 'sandbox-test-token': [SUPPLIER_CIF, BUYER_CIF], stranger: ['8000000000'] } });
});
afterEach(async () => {
  await t.sandbox.close();
});

const invoice = (id: string): string => buildSampleInvoice({ supplierCif: SUPPLIER_CIF, buyerCif: BUYER_CIF, id, issueDate: '2026-03-09' });
const toMidnight = (): void => t.clock.set(nextAnafDayStart(t.clock.now()));

async function acceptedMessage(id = 'Q-1'): Promise<{ index: string; downloadId: string }> {
  const up = await upload(t.sandbox, invoice(id));
  t.clock.advance(2000);
  const st = await stareMesaj(t.sandbox, up.index!);
  return { index: up.index!, downloadId: st.downloadId! };
}

const descarcare = (id: string, token?: string) => call(t.sandbox, rest('test', 'descarcare', { id }), token ? { token } : {});

describe('descarcare', () => {
  it('answers its errors as JSON in HTTP 200', async () => {
    const missing = await call(t.sandbox, rest('test', 'descarcare'));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toBe('Parametrul id este obligatoriu');
    const expectError = async (res: Response, eroare: string): Promise<void> => {
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ eroare, titlu: 'Descarcare mesaj' });
    };
    await expectError(await descarcare('123a'), 'Id descarcare introdus= 123a nu este un numar intreg');
    await expectError(await descarcare('21'), 'Pentru id=21 nu exista inregistrata nici o factura');
    const { downloadId } = await acceptedMessage();
    await expectError(await descarcare(downloadId, 'stranger'), 'Nu aveti dreptul sa descarcati acesta factura');
  });

  it('serves an incoming invoice to its buyer', async () => {
    const incoming = t.sandbox.injectIncomingInvoice({ buyerCif: SUPPLIER_CIF, supplierCif: BUYER_CIF });
    const res = await descarcare(incoming.id);
    const files = readZip(new Uint8Array(await res.arrayBuffer()));
    expect(files.get(`${incoming.id}.xml`)).toEqual(Buffer.from(incoming.xml));
    expect(t.sandbox.verifySignature(incoming.xml, files.get(`semnatura_${incoming.id}.xml`)!)).toBe('valid');
  });

  it('refuses after 60 days', async () => {
    const { downloadId } = await acceptedMessage();
    t.clock.advance(61 * DAY);
    const res = await descarcare(downloadId);
    expect(((await res.json()) as { eroare: string }).eroare).toMatch(/a trecut perioada de 60 de zile$/);
  });

  it('allows 10 downloads per message per ANAF day', async () => {
    const { downloadId } = await acceptedMessage();
    for (let i = 0; i < 10; i++) expect((await descarcare(downloadId)).headers.get('content-type')).toBe('application/zip');
    const eleventh = await descarcare(downloadId);
    expect(await eleventh.json()).toEqual({ eroare: 'S-au facut deja 10 descarcari de mesaj in cursul zilei', titlu: 'Descarcare mesaj' });
    expect(t.sandbox.counters.quotaAnswers.download).toBe(1);
    toMidnight();
    expect((await descarcare(downloadId)).headers.get('content-type')).toBe('application/zip');
  });
});

describe('daily limits', () => {
  it('allows 100 status queries per upload index per day', async () => {
    const up = await upload(t.sandbox, invoice('S-1'));
    for (let i = 0; i < 100; i++) expect((await stareMesaj(t.sandbox, up.index!)).stare).toBe('in prelucrare');
    const over = await stareMesaj(t.sandbox, up.index!);
    expect(over.errors).toEqual(['S-au facut deja 100 descarcari de mesaj in cursul zilei']);
    expect(over.errors[0]).toMatch(/S-au facut deja (\d+) .* in cursul zilei/);
    // Another index has its own count.
    const other = await upload(t.sandbox, invoice('S-2'));
    expect((await stareMesaj(t.sandbox, other.index!)).stare).toBe('in prelucrare');
    toMidnight();
    expect((await stareMesaj(t.sandbox, up.index!)).stare).toBe('ok');
    expect(t.sandbox.counters.quotaAnswers.status).toBe(1);
    expect(t.sandbox.quotas.used('status', 'test', up.index!)).toBe(1);
  });

  it('limits the simple list per CUI per day (1500 by default)', async () => {
    for (let i = 0; i < 1500; i++) {
      t.clock.advance(100); // paced, to stay under the per-minute limit
      await getJson(t.sandbox, rest('test', 'listaMesajeFactura', { zile: '1', cif: SUPPLIER_CIF }));
    }
    const over = await getJson(t.sandbox, rest('test', 'listaMesajeFactura', { zile: '1', cif: SUPPLIER_CIF }));
    expect(over.body).toEqual({ eroare: 'S-au facut deja 1500 interogari de lista mesaje de catre utilizator in cursul zilei', titlu: 'Lista Mesaje' });
    const otherCui = await getJson(t.sandbox, rest('test', 'listaMesajeFactura', { zile: '1', cif: BUYER_CIF }));
    expect(otherCui.body.eroare).toBe('Nu exista mesaje in ultimele 1 zile');
  });

  it('limits the paginated list per CUI per day', async () => {
    await t.sandbox.close();
    t = await startTestSandbox({ quotas: { pagedList: 3 } });
    const n = t.clock.now().getTime();
    const q = { startTime: String(n - 1000), endTime: String(n), cif: SUPPLIER_CIF, pagina: '1' };
    for (let i = 0; i < 3; i++) {
      expect((await getJson(t.sandbox, rest('test', 'listaMesajePaginatieFactura', q))).body.eroare).toBe('Nu exista mesaje in intervalul selectat');
    }
    const over = await getJson(t.sandbox, rest('test', 'listaMesajePaginatieFactura', q));
    expect(over.body.eroare).toBe('S-au facut deja 3 interogari de lista mesaje de catre utilizator in cursul zilei');
    expect(t.sandbox.counters.quotaAnswers.pagedList).toBe(1);
  });

  it('limits RASP uploads per CUI per day', async () => {
    await t.sandbox.close();
    t = await startTestSandbox({ quotas: { rasp: 2 } });
    const rasp = '<header xmlns="mfp:anaf:dgti:spv:reqMesaj:v1" index_incarcare="5001120000" message="test"/>';
    for (let i = 0; i < 2; i++) expect((await upload(t.sandbox, rasp, { standard: 'RASP' })).index).not.toBeNull();
    const over = await upload(t.sandbox, rasp, { standard: 'RASP' });
    expect(over.errors).toEqual([`S-au incarcat deja 2 de mesaje de tip RASP pentru cui=${SUPPLIER_CIF} in cursul zile`]);
    // Invoices are not limited.
    expect((await upload(t.sandbox, invoice('R-1'))).index).not.toBeNull();
  });

  it('answers HTTP 429 beyond the per-minute limit, and the next minute is fresh', async () => {
    await t.sandbox.close();
    t = await startTestSandbox({ quotas: { perMinute: 5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call(t.sandbox, rest('test', 'stareMesaj', { id_incarcare: '1' }))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(t.sandbox.counters.quotaAnswers.perMinute).toBe(2);
    t.clock.advance(60_000);
    expect((await call(t.sandbox, rest('test', 'stareMesaj', { id_incarcare: '1' }))).status).toBe(200);
    expect(t.sandbox.counters.callsTo('stareMesaj')).toBe(8);
  });
});
