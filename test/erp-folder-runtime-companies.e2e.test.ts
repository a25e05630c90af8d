/**
 * The ERP-folder round trip for a company that is not in the configuration file: added to the
 * store while Efact runs (as `efact company add` and the API do), its export folder is watched
 * and answered (NOK errors file, download-id ZIP), a changed export folder is watched anew, and
 * once the company is removed its folder is let go.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCif } from '../src/domain/cif.js';
import type { Invoice } from '../src/domain/invoice.js';
import { buildSampleInvoice } from '../src/sandbox/anaf/sample-invoice.js';
import { BUYER, startTestRuntime, type TestRuntime } from './helpers/runtime.js';
import { sleep, waitFor } from './helpers/wait.js';

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

const LATE = makeCif('3333333');
const invoice = (id: string, note?: string): string =>
  buildSampleInvoice({ supplierCif: LATE, buyerCif: BUYER, id, issueDate: '2026-11-20', ...(note ? { note } : {}) });

describe('ERP folder round trip for a company added at run time', () => {
  let t: TestRuntime | null = null;
  const dirs: string[] = [];

  afterEach(async () => {
    await t?.close();
    t = null;
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  async function put(root: string, rel: string, xml: string): Promise<string> {
    const file = path.join(root, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, xml);
    return file;
  }

  it('watches and answers its folder, follows a folder change, and lets the folder go when removed', async () => {
    t = await startTestRuntime({
      http: true,
      sandbox: {
        decide: (xml) => (Buffer.from(xml).toString('utf8').includes('GRESIT') ? { ok: false, errors: ['E: [BR-RO-100] test: factura refuzata'] } : { ok: true }),
      },
      erpFolder: { stableMs: 150, scanIntervalMs: 200, writeBackIntervalMs: 50, writeBackRetryMs: 100, companyRescanMs: 100 },
    });
    const runtime = t.runtime;
    const folder = await mkdtemp(path.join(os.tmpdir(), 'efact-late-'));
    const moved = await mkdtemp(path.join(os.tmpdir(), 'efact-late-moved-'));
    dirs.push(folder, moved);
    expect(await runtime.erpFolders.view(LATE)).toBeNull();

    // Added through the store while running, as `efact company add` and POST /companies do.
    const company = await runtime.store.upsertCompany({ cif: LATE, shortName: 'LATE', name: 'Late Comer SRL', environment: 'test', exportFolder: folder });
    await waitFor('the new folder to be watched', async () => runtime.erpFolders.intakes.has(LATE));
    expect(runtime.erpFolders.writeBack?.companyIds()).toContain(company.id);
    expect(await runtime.erpFolders.view(LATE)).toMatchObject({ cif: LATE, exportFolder: folder, writeBack: true, months: { months: [], source: 'all' }, writeBackErrorCount: 0 });

    const month = path.join('Efact2026_11', 'Fact');
    const dir = path.join(folder, month);
    const good = await put(folder, path.join(month, 'Fact1.XML'), invoice('LATE1'));
    const bad = await put(folder, path.join(month, 'Fact2.XML'), invoice('LATE2', 'GRESIT'));
    const at = (file: string, status: Invoice['status']): Promise<Invoice> =>
      waitFor(`${path.basename(file)} ${status}`, async () =>
        (await runtime.store.listInvoices({ companyId: company.id, limit: 100 })).find((i) => i.origin.sourcePath === file && i.status === status),
      );

    // NOK: ANAF's errors beside the file.
    const nok = await at(bad, 'nok');
    const errorsPath = path.join(dir, 'Fact2.errors.txt');
    const errors = await waitFor('the errors file', async () => ((await exists(errorsPath)) ? readFile(errorsPath, 'utf8') : undefined));
    expect(errors).toContain('BR-RO-100');
    expect(errors).toContain(nok.uploadId!);

    // Downloaded: ANAF's ZIP as received, named by the download id.
    const done = await at(good, 'downloaded');
    const zipPath = path.join(dir, `${done.downloadId}.zip`);
    await waitFor('the download-id ZIP', () => exists(zipPath));
    const archived = await readFile(path.join(t.dataDir, (await runtime.store.getInvoice(done.id))!.archivePath!));
    await waitFor('the ZIP complete', async () => (await readFile(zipPath)).equals(archived));

    // The API's folder routes serve a store company as they do a configured one.
    const api = `${runtime.apiUrl}/api/v1/companies/${LATE}`;
    const put1 = await fetch(`${api}/months`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ months: ['2026-11'] }) });
    expect(put1.status).toBe(200);
    expect(await put1.json()).toEqual({ months: ['2026-11'], source: 'person' });
    const shown = await fetch(`${api}/erp-folder`);
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({ cif: LATE, exportFolder: folder, writeBack: true, months: { months: ['2026-11'], source: 'person' }, writeBackErrorCount: 0 });
    await runtime.erpFolders.setMonths(LATE, []);

    // The export folder changed: the new one is watched and answered, the old one let go.
    await runtime.store.updateCompany(company.id, { exportFolder: moved });
    await waitFor('the moved folder to be watched', async () => (await runtime.erpFolders.view(LATE))?.exportFolder === moved && runtime.erpFolders.intakes.has(LATE));
    const third = await put(moved, path.join(month, 'Fact3.XML'), invoice('LATE3'));
    const done3 = await at(third, 'downloaded');
    await waitFor('the ZIP in the moved folder', () => exists(path.join(moved, month, `${done3.downloadId}.zip`)));

    // Removed: its folder is no longer watched nor answered.
    await runtime.store.setCompanyRemoved(company.id, new Date());
    await waitFor('the folder to be let go', async () => !runtime.erpFolders.intakes.has(LATE));
    expect(runtime.erpFolders.writeBack?.companyIds()).not.toContain(company.id);
    expect(await runtime.erpFolders.view(LATE)).toBeNull();
    const before = await readdir(path.join(moved, month));
    await put(moved, path.join(month, 'Fact4.XML'), invoice('LATE4'));
    await put(folder, path.join(month, 'Fact5.XML'), invoice('LATE5'));
    // Several scan intervals: a watched folder would have taken the files by now.
    await sleep(1_500);
    const all = await runtime.store.listInvoices({ companyId: company.id, limit: 100 });
    expect(all.map((i) => i.invoiceId).sort()).toEqual(['LATE1', 'LATE2', 'LATE3']);
    expect(runtime.rejections.count(LATE)).toBe(0);
    expect((await readdir(path.join(moved, month))).sort()).toEqual([...before, 'Fact4.XML'].sort());
  }, 90_000);
});
