/**
 * Access control and run-time companies on a running instance over real HTTP: the host refusal
 * without access control, keys switching the API from open to guarded, and a company added
 * through the API picked up by the engine and its export folder watched, then removed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCif } from '../src/domain/cif.js';
import { buildSampleInvoice } from '../src/sandbox/anaf/sample-invoice.js';
import { createApiKey } from '../src/server/api-keys.js';
import { startTestRuntime, type TestRuntime } from './helpers/runtime.js';
import { waitFor } from './helpers/wait.js';

let t: TestRuntime | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await t?.close();
  t = null;
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('listening beyond 127.0.0.1', () => {
  it('is refused without access control, with a message that says what to do', async () => {
    await expect(startTestRuntime({ http: true, config: { http: { host: '127.0.0.2', port: 0 } } })).rejects.toThrow(
      /http\.host: 127\.0\.0\.2 is refused: no access control is configured.*efact apikey create --name admin --role admin.*http\.auth: required/,
    );
  });

  it('is allowed with http.auth: required, and then every request needs a key', async () => {
    t = await startTestRuntime({ http: true, config: { http: { host: '127.0.0.2', port: 0, auth: 'required' } } });
    expect(t.runtime.apiUrl).toContain('127.0.0.2');
    expect((await fetch(`${t.runtime.apiUrl}/api/v1/invoices`)).status).toBe(401);
    expect((await fetch(`${t.runtime.apiUrl}/api/v1/health`)).status).toBe(200);
  });
});

describe('a running server', () => {
  it('goes from open to guarded when the first key is created, and works a company added through the API', async () => {
    t = await startTestRuntime({ http: true });
    const api = `${t.runtime.apiUrl}/api/v1`;
    expect((await fetch(`${api}/invoices`)).status).toBe(200);
    const { key: admin } = await createApiKey(t.runtime.store, { name: 'admin', role: 'admin' });
    expect((await fetch(`${api}/invoices`)).status).toBe(401);
    const auth = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };

    const folder = await mkdtemp(path.join(os.tmpdir(), 'efact-export-'));
    dirs.push(folder);
    const cif = makeCif('2222222');
    const created = await fetch(`${api}/companies`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ cif: `RO${cif}`, shortName: 'LATE', name: 'Late Comer SRL', exportFolder: folder }),
    });
    expect(created.status).toBe(201);
    const company = (await created.json()) as { id: number; cif: string };
    expect(company.cif).toBe(cif);

    await waitFor('the engine to work the new company', async () => t!.runtime.engine.states().some((s) => s.companyId === company.id));
    await writeFile(path.join(folder, 'F1.xml'), buildSampleInvoice({ supplierCif: cif, buyerCif: '8609468', id: 'LATE 1', issueDate: '2026-11-20' }));
    const invoice = await waitFor('the export folder file to be taken in', async () =>
      (await t!.runtime.store.listInvoices({ companyId: company.id, limit: 1 }))[0],
    );
    await t.waitFor(invoice.id, (i) => i.status === 'downloaded', 'downloaded');

    const removed = await fetch(`${api}/companies/${cif}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
    expect(removed.status).toBe(200);
    await waitFor('the engine to stop working the removed company', async () => !t!.runtime.engine.states().some((s) => s.companyId === company.id));
    expect((await t.runtime.store.getInvoice(invoice.id))?.status).toBe('downloaded');
    const archive = await fetch(`${api}/invoices/${invoice.id}/archive`, { headers: { authorization: `Bearer ${admin}` } });
    expect(archive.status).toBe(200);
  }, 90_000);
});
