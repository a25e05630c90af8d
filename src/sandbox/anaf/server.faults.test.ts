import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSampleInvoice } from './sample-invoice.js';
import { BUYER_CIF, call, getJson, rest, stareMesaj, startTestSandbox, SUPPLIER_CIF, upload, type TestSandbox } from './test-helpers.js';

let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox();
});
afterEach(async () => {
  await t.sandbox.close();
});

const invoice = (id: string): string => buildSampleInvoice({ supplierCif: SUPPLIER_CIF, buyerCif: BUYER_CIF, id, issueDate: '2026-03-09' });
const status = (index = '5001120000') => call(t.sandbox, rest('test', 'stareMesaj', { id_incarcare: index }));

describe('random faults', () => {
  it('answers HTTP 500 with ANAF\'s general error body, before processing', async () => {
    t.sandbox.faults.errorRate = 1;
    const res = await call(t.sandbox, rest('test', 'upload', { standard: 'UBL', cif: SUPPLIER_CIF }), { body: invoice('E-1') });
    expect(res.status).toBe(500);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ timestamp: '10-03-2026 10:00:00', status: 500, error: 'Internal Server Error' });
    expect(body.message).toMatch(/^A aparut o eroare tehnica\. Cod: \d+$/);
    expect(t.sandbox.state.uploads()).toHaveLength(0);
    t.sandbox.faults.errorRate = 0;
    expect((await status()).status).toBe(200);
    expect(t.sandbox.counters.faults.error).toBe(1);
  });

  it('drops the connection without an answer', async () => {
    t.sandbox.setFaults({ dropRate: 1 });
    await expect(status()).rejects.toThrow();
    expect(t.sandbox.counters.faults.drop).toBe(1);
  });

  it('garbles the body of an answer that was processed', async () => {
    t.sandbox.setFaults({ endpoints: { upload: { malformedRate: 1 } } });
    const up = await upload(t.sandbox, invoice('M-1'));
    expect(up.status).toBe(200);
    expect(up.index).toBeNull();
    expect(up.text).not.toContain('</header>');
    expect(up.text).not.toMatch(/index_incarcare="\d+"\/>$/);
    // The platform took the invoice in all the same.
    expect(t.sandbox.state.uploads('test')).toHaveLength(1);
    expect(t.sandbox.counters.uploadsOf('test', SUPPLIER_CIF, 'M-1')).toBe(1);
  });

  it('answers with the firewall\'s HTML page', async () => {
    t.sandbox.setFaults({ firewallRate: 1 });
    const res = await status();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('The requested URL was rejected. Please consult with your administrator.');
    expect(html).toMatch(/Your support ID is: \d{20}/);
  });

  it('answers an endpoint\'s own quota text on demand', async () => {
    t.sandbox.setFaults({ quotaRate: 1 });
    expect(await (await call(t.sandbox, rest('test', 'descarcare', { id: '1' }))).json()).toEqual({
      eroare: 'S-au facut deja 10 descarcari de mesaj in cursul zilei',
      titlu: 'Descarcare mesaj',
    });
    expect((await stareMesaj(t.sandbox, '1')).errors).toEqual(['S-au facut deja 100 descarcari de mesaj in cursul zilei']);
    expect((await getJson(t.sandbox, rest('test', 'listaMesajeFactura', { zile: '1', cif: SUPPLIER_CIF }))).body.eroare).toMatch(
      /^S-au facut deja 1500 interogari de lista mesaje/,
    );
    expect(t.sandbox.counters.faults.quota).toBe(3);
  });

  it('delays answers (latency) and applies per-endpoint settings', async () => {
    t.sandbox.setFaults({ latencyMs: [1, 5], endpoints: { stareMesaj: { errorRate: 1 } } });
    expect((await status()).status).toBe(500);
    const list = await getJson(t.sandbox, rest('test', 'listaMesajeFactura', { zile: '1', cif: SUPPLIER_CIF }));
    expect(list.status).toBe(200);
    expect(t.sandbox.counters.faults.latency).toBe(2);
  });

  it('repeats the same faults for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      const local = await startTestSandbox({ seed: 42, faults: { errorRate: 0.5 } });
      const codes: number[] = [];
      for (let i = 0; i < 20; i++) codes.push((await call(local.sandbox, rest('test', 'stareMesaj', { id_incarcare: '1' }))).status);
      await local.sandbox.close();
      return codes;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
  });
});

describe('an upload that goes silent after it was taken in', () => {
  it('hangs past the client\'s timeout, yet the invoice exists and is processed', async () => {
    t.sandbox.hangUploads({ ms: 30_000 });
    const client = new AbortController();
    const res = call(t.sandbox, rest('test', 'upload', { standard: 'UBL', cif: SUPPLIER_CIF }), {
      body: invoice('H-1'),
      signal: client.signal,
    });
    // The client gives up once the sandbox has gone silent (its "timeout").
    while (!t.sandbox.counters.faults.hang) await new Promise((r) => setImmediate(r));
    client.abort();
    await expect(res).rejects.toThrow();
    const [taken] = t.sandbox.state.uploads('test');
    expect(taken?.meta?.invoiceId).toBe('H-1');
    t.clock.advance(2000);
    // Reconciliation finds it in the message list, where the client can learn its index.
    const list = await getJson(t.sandbox, rest('test', 'listaMesajeFactura', { zile: '1', cif: SUPPLIER_CIF }));
    expect((list.body.mesaje as Array<Record<string, string>>)[0]!.id_solicitare).toBe(taken!.index);
    expect(t.sandbox.counters.faults.hang).toBe(1);
    // Only the next upload was affected.
    expect((await upload(t.sandbox, invoice('H-2'))).index).not.toBeNull();
  });

  it('can drop the connection instead, for one invoice only', async () => {
    t.sandbox.hangUploads({ mode: 'drop', invoiceId: 'D-2' });
    expect((await upload(t.sandbox, invoice('D-1'))).index).not.toBeNull();
    await expect(upload(t.sandbox, invoice('D-2'))).rejects.toThrow();
    expect(t.sandbox.counters.uploadsOf('test', SUPPLIER_CIF, 'D-2')).toBe(1);
    t.clock.advance(2000);
    const d2 = t.sandbox.state.uploads('test').find((u) => u.meta?.invoiceId === 'D-2');
    expect(d2?.state).toBe('ok');
  });
});
