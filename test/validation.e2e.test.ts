/**
 * Local validation at intake, end to end with the in-process sandbox: an invoice with a fatal
 * finding is stored `invalid` with the findings and never uploaded; the findings show in the API
 * detail and in the ERP folder's errors file; a valid invoice beside it goes through.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Invoice } from '../src/domain/invoice.js';
import { CIF, sampleInvoice, startTestRuntime, type TestRuntime } from './helpers/runtime.js';
import { waitFor } from './helpers/wait.js';


/** Two fatal findings: an unknown invoice type code (BR-CL-01) and an old CIUS-RO id (BR-RO-001). */
function invalidInvoice(id: string): string {
  return sampleInvoice(id, { customizationId: 'urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.0' }).replace(
    '<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>',
    '<cbc:InvoiceTypeCode>999</cbc:InvoiceTypeCode>',
  );
}

const company = (extra: Record<string, unknown> = {}) => ({ cif: CIF, shortName: 'TEST', name: 'Test Company SRL', environment: 'test' as const, ...extra });

let t: TestRuntime | null = null;
let folder: string | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
  if (folder) await rm(folder, { recursive: true, force: true });
  folder = null;
});

describe('local validation at intake', () => {
  it('stores an invoice with a fatal finding as invalid with its findings, and never uploads it', async () => {
    t = await startTestRuntime({ http: true, config: { companies: [company({ validation: 'block' })] } });
    const bad = await t.submit(invalidInvoice('BAD1'));
    expect(bad.status).toBe('invalid');
    const local = bad.messages.filter((m) => m.source === 'local');
    expect(local.map((m) => m.ruleId)).toEqual(expect.arrayContaining(['BR-CL-01', 'BR-RO-001']));
    expect(local.find((m) => m.ruleId === 'BR-CL-01')).toMatchObject({ severity: 'fatal', location: '/Invoice/cbc:InvoiceTypeCode' });
    expect(local.find((m) => m.ruleId === 'BR-CL-01')!.line).toBeGreaterThan(0);

    // A valid invoice submitted after it goes all the way: the engine ran and passed the invalid one by.
    const good = await t.submit(sampleInvoice('GOOD1'));
    expect(good.status).toBe('queued');
    await t.waitFor(good.id, (i) => i.status === 'downloaded', 'downloaded');
    expect((await t.invoice(bad.id)).status).toBe('invalid');
    expect(t.runtime.sandbox!.counters.uploadsOf('test', CIF, 'BAD1')).toBe(0);
    const events = await t.runtime.store.listEvents(bad.id);
    expect(events.map((e) => e.toStatus)).toEqual(['invalid']);

    // The API detail shows the findings like ANAF's messages, with rule, severity and place.
    const res = await fetch(`${t.runtime.apiUrl}/api/v1/invoices/${bad.id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; messages: Array<Record<string, unknown>> };
    expect(body.status).toBe('invalid');
    expect(body.messages).toContainEqual(
      expect.objectContaining({ source: 'local', ruleId: 'BR-CL-01', severity: 'fatal', location: '/Invoice/cbc:InvoiceTypeCode', text: expect.stringContaining('[BR-CL-01]') }),
    );

    // A corrected file with the same number replaces it and is sent.
    const fixed = await t.submit(sampleInvoice('BAD1'));
    expect(fixed.status).toBe('queued');
    expect(fixed.supersedesId).toBe(bad.id);
    await t.waitFor(fixed.id, (i) => i.status === 'downloaded', 'corrected downloaded');
  }, 60_000);

  it("'warn' keeps the findings but lets the invoice reach ANAF, which refuses it; 'off' does not validate", async () => {
    t = await startTestRuntime({ config: { companies: [company({ validation: 'warn' })] } });
    const inv = await t.submit(invalidInvoice('WARN1'));
    expect(inv.status).toBe('queued');
    expect(inv.messages.some((m) => m.source === 'local' && m.ruleId === 'BR-CL-01')).toBe(true);
    const nok = await t.waitFor(inv.id, (i) => i.status === 'nok', 'nok');
    // The sandbox decides with the same rules: its error document carries the validator's messages.
    const texts = nok.messages.map((m) => m.text).join('\n');
    expect(texts).toContain('[BR-CL-01]');
    expect(texts).toContain('[BR-RO-001]');
    await t.close();

    t = await startTestRuntime({ config: { companies: [company({ validation: 'off' })] } });
    const unchecked = await t.submit(invalidInvoice('OFF1'));
    expect(unchecked.status).toBe('queued');
    expect(unchecked.messages).toEqual([]);
  }, 60_000);

  it("writes the findings into the ERP folder's errors file", async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'efact-val-erp-'));
    t = await startTestRuntime({
      config: { companies: [company({ exportFolder: folder })] },
      erpFolder: { stableMs: 100, scanIntervalMs: 150, writeBackIntervalMs: 50, writeBackRetryMs: 100 },
    });
    const dir = path.join(folder, 'Efact2026_11', 'Fact');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'Fact7.XML');
    await writeFile(file, invalidInvoice('BAD7'));
    const inv = await waitFor<Invoice>('the invalid invoice', async () =>
      (await t!.runtime.store.listInvoices({ limit: 100 })).find((i) => i.origin.sourcePath === file),
    );
    expect(inv.status).toBe('invalid');
    const errorsPath = path.join(dir, 'Fact7.errors.txt');
    const errors = await waitFor('the errors file', async () => ((await stat(errorsPath).catch(() => null)) ? readFile(errorsPath, 'utf8') : undefined));
    expect(errors).toContain('BAD7');
    expect(errors).toContain('validare locală');
    expect(errors).toContain('[BR-CL-01]');
    expect(errors).toContain('/Invoice/cbc:InvoiceTypeCode, line');
    const status = await waitFor('the status JSON', async () => {
      const p = path.join(dir, 'Fact7.status.json');
      return (await stat(p).catch(() => null)) ? (JSON.parse(await readFile(p, 'utf8')) as Record<string, unknown>) : undefined;
    });
    expect(status).toMatchObject({ status: 'invalid', errorsFile: 'Fact7.errors.txt' });
    expect((status['localFindings'] as Array<{ rule: string }>).map((f) => f.rule)).toContain('BR-CL-01');
  }, 60_000);
});
