/**
 * The ERP-folder round trip as a WinMentor user lives it: invoices dropped into an export tree
 * laid out as the manuals show it (`Efact<yyyy>_<mm>/Fact/FactN.XML`), answers read back from
 * the same folder — a NOK's errors file (gone once the corrected file goes through), the answer
 * ZIP named by the download id, a status JSON per invoice — and not one byte of the ERP's own
 * files changed.
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readZip } from '../src/zip/zip.js';
import type { Invoice } from '../src/domain/invoice.js';
import type { FolderWriter } from '../src/engine/erp-folder/atomic-file.js';
import { fsFolderWriter } from '../src/engine/erp-folder/atomic-file.js';
import { CIF, sampleInvoice, startTestRuntime, type TestRuntime } from './helpers/runtime.js';
import { sleep, waitFor } from './helpers/wait.js';


const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

async function hashTree(root: string, ours: (name: string) => boolean): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const d of await readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) await walk(p);
      else if (!ours(d.name)) out.set(path.relative(root, p), createHash('sha256').update(await readFile(p)).digest('hex'));
    }
  };
  await walk(root);
  return out;
}

describe('ERP folder round trip', () => {
  let t: TestRuntime | null = null;
  let folder: string;

  afterEach(async () => {
    await t?.close();
    t = null;
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  async function start(extra: { writer?: FolderWriter; writeBack?: boolean; months?: string[]; stableMs?: number; http?: boolean } = {}): Promise<TestRuntime> {
    folder = await mkdtemp(path.join(os.tmpdir(), 'efact-erp-'));
    t = await startTestRuntime({
      ...(extra.http ? { http: true } : {}),
      config: {
        companies: [
          {
            cif: CIF,
            shortName: 'TEST',
            name: 'Test Company SRL',
            environment: 'test',
            exportFolder: folder,
            ...(extra.writeBack !== undefined ? { writeBack: extra.writeBack } : {}),
            ...(extra.months ? { months: extra.months } : {}),
          },
        ],
      },
      // An invoice whose note says GRESIT comes back NOK with a message of ANAF's shape.
      sandbox: {
        decide: (xml) => (Buffer.from(xml).toString('utf8').includes('GRESIT') ? { ok: false, errors: ['E: [BR-RO-100] test: factura refuzata'] } : { ok: true }),
      },
      erpFolder: {
        stableMs: extra.stableMs ?? 150,
        scanIntervalMs: 200,
        writeBackIntervalMs: 50,
        writeBackRetryMs: 100,
        ...(extra.writer ? { writer: extra.writer } : {}),
      },
    });
    return t;
  }

  async function put(rel: string, xml: string): Promise<string> {
    const file = path.join(folder, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, xml);
    return file;
  }

  async function invoiceAt(file: string, predicate: (i: Invoice) => boolean, what: string): Promise<Invoice> {
    return waitFor(what, async () => {
      const list = await t!.runtime.store.listInvoices({ limit: 1000 });
      return list.find((i) => i.origin.sourcePath === file && predicate(i));
    });
  }

  it('answers ok and nok invoices beside their files, and the errors file goes when the corrected file goes through', async () => {
    await start();
    const month = path.join('Efact2026_11', 'Fact');
    const good = await put(path.join(month, 'Fact1.XML'), sampleInvoice('FACT1'));
    const bad = await put(path.join(month, 'Fact2.XML'), sampleInvoice('BAD2', { note: 'GRESIT' }));
    const before = await hashTree(folder, () => false);

    // OK: downloaded, its ZIP named by the download id, and a complete status JSON.
    const done = await invoiceAt(good, (i) => i.status === 'downloaded', 'FACT1 downloaded');
    const dir = path.join(folder, month);
    const zipPath = path.join(dir, `${done.downloadId}.zip`);
    const statusPath = path.join(dir, 'Fact1.status.json');
    const status = await waitFor('FACT1 status JSON saying downloaded', async () => {
      if (!(await exists(statusPath)) || !(await exists(zipPath))) return undefined;
      const doc = JSON.parse(await readFile(statusPath, 'utf8')) as Record<string, unknown>;
      return doc['status'] === 'downloaded' ? doc : undefined;
    });
    expect(status).toMatchObject({
      generator: 'Efact',
      file: 'Fact1.XML',
      invoice: 'FACT1',
      status: 'downloaded',
      uploadId: done.uploadId,
      downloadId: done.downloadId,
      answerZip: `${done.downloadId}.zip`,
      errorsFile: null,
    });
    for (const k of ['receivedAt', 'uploadedAt', 'resolvedAt', 'downloadedAt', 'updatedAt']) expect(typeof status[k]).toBe('string');
    // The ZIP is ANAF's answer as received: the invoice named by its upload id and ANAF's signature.
    const zip = await readFile(zipPath);
    const archived = await t!.runtime.store.getInvoice(done.id);
    expect(zip.equals(Buffer.from(await readFile(path.join(t!.dataDir, archived!.archivePath!))))).toBe(true);
    const entries = [...readZip(zip).keys()].sort();
    expect(entries.some((n) => n.startsWith('semnatura_'))).toBe(true);

    // NOK: the errors file with ANAF's message, and the status JSON saying nok.
    const nok = await invoiceAt(bad, (i) => i.status === 'nok', 'BAD2 nok');
    const errorsPath = path.join(dir, 'Fact2.errors.txt');
    const errors = await waitFor('the errors file', async () => ((await exists(errorsPath)) ? readFile(errorsPath, 'utf8') : undefined));
    expect(errors).toContain('BR-RO-100');
    expect(errors).toContain('BAD2');
    expect(errors).toContain(nok.uploadId!);
    // The status JSON is written just after the errors file: read it once it says nok.
    const nokStatus = await waitFor('BAD2 status JSON saying nok', async () => {
      const text = await readFile(path.join(dir, 'Fact2.status.json'), 'utf8').catch(() => '{}');
      const doc = JSON.parse(text) as Record<string, unknown>;
      return doc['status'] === 'nok' ? doc : undefined;
    });
    expect(nokStatus).toMatchObject({ status: 'nok', errorsFile: 'Fact2.errors.txt', uploadId: nok.uploadId });
    expect(JSON.stringify(nokStatus['messages'])).toContain('BR-RO-100');

    // Nothing of the ERP's own files changed while Efact answered.
    expect(await hashTree(folder, (n) => /\.(status\.json|errors\.txt|zip)$/.test(n))).toEqual(before);

    // The ERP regenerates the corrected invoice under the same name, writing a temporary file
    // first and renaming it into place: the temporary name is never taken.
    const tmp = path.join(dir, '~Fact2.XML');
    await writeFile(tmp, sampleInvoice('BAD2', { note: 'corectata' }));
    await sleep(400);
    expect((await t!.runtime.store.listInvoices({ limit: 100 })).filter((i) => i.origin.sourcePath === tmp)).toEqual([]);
    await rename(tmp, bad);
    const fixed = await invoiceAt(bad, (i) => i.status === 'downloaded' && i.id !== nok.id, 'corrected BAD2 downloaded');
    expect(fixed.supersedesId).toBe(nok.id);
    expect((await t!.runtime.store.getInvoice(nok.id))?.status).toBe('superseded');
    await waitFor('the errors file to go', async () => !(await exists(errorsPath)));
    const fixedStatus = await waitFor('corrected status JSON', async () => {
      const doc = JSON.parse(await readFile(path.join(dir, 'Fact2.status.json'), 'utf8')) as Record<string, unknown>;
      return doc['status'] === 'downloaded' ? doc : undefined;
    });
    expect(fixedStatus).toMatchObject({ id: fixed.id, supersedes: nok.id, answerZip: `${fixed.downloadId}.zip`, errorsFile: null });
    expect(await exists(path.join(dir, `${fixed.downloadId}.zip`))).toBe(true);
    // No temporary file of Efact's is left behind.
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('puts the reason beside a file that could not be taken, and removes it once the file is fixed', async () => {
    await start();
    const file = await put(path.join('Efact2026_11', 'Fact', 'Fact60.XML'), '<Invoice><cbc:ID>FACT60</Invoice');
    const errorsPath = path.join(path.dirname(file), 'Fact60.errors.txt');
    const text = await waitFor('the refusal beside the file', async () => ((await exists(errorsPath)) ? readFile(errorsPath, 'utf8') : undefined));
    expect(text).toContain('EFACT_ERR_INVALID_XML');
    expect(text).toContain('Fact60.XML');
    await writeFile(file, sampleInvoice('FACT60'));
    await invoiceAt(file, (i) => i.status === 'downloaded', 'FACT60 downloaded');
    await waitFor('the refusal to go', async () => !(await exists(errorsPath)));
  });

  it('does not take a half-written file until it is complete', async () => {
    await start({ stableMs: 700 });
    const full = sampleInvoice('FACT10');
    const file = path.join(folder, 'Efact2026_11', 'Fact', 'Fact10.XML');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, full.slice(0, 400));
    await sleep(250);
    await appendFile(file, full.slice(400, 900));
    await sleep(250);
    expect(await t!.runtime.store.listInvoices({ limit: 10 })).toEqual([]);
    await appendFile(file, full.slice(900));
    const inv = await invoiceAt(file, () => true, 'FACT10 taken');
    expect(Buffer.from((await t!.runtime.store.getInvoiceXml(inv.id))!).toString('utf8')).toBe(full);
    expect(t!.runtime.rejections.list()).toEqual([]);
  });

  it('keeps going when the folder cannot be written, shows why, and catches up once it can', async () => {
    // Tests run as root, which ignores chmod 0555: a read-only folder is simulated by a writer
    // that fails the way a read-only folder does (EACCES) until it is "made writable".
    let readOnly = true;
    const writer: FolderWriter = {
      ...fsFolderWriter,
      async write(dir, name, bytes) {
        if (readOnly) throw Object.assign(new Error(`EACCES: permission denied, open '${path.join(dir, name)}'`), { code: 'EACCES' });
        return fsFolderWriter.write(dir, name, bytes);
      },
    };
    await start({ writer });
    const file = await put(path.join('Efact2026_11', 'Fact', 'Fact20.XML'), sampleInvoice('FACT20'));
    // The lifecycle does not wait for the folder.
    const done = await invoiceAt(file, (i) => i.status === 'downloaded', 'FACT20 downloaded');
    const view = await waitFor('the write-back error to show', async () => {
      const v = await t!.runtime.erpFolders.view(CIF);
      return v && v.writeBackErrorCount > 0 ? v : undefined;
    });
    expect(view.writeBackErrors[0]).toMatchObject({ invoiceId: done.id, status: expect.any(String) });
    expect(view.writeBackErrors[0]!.error).toContain('EACCES');
    const dir = path.dirname(file);
    expect(await exists(path.join(dir, 'Fact20.status.json'))).toBe(false);

    readOnly = false;
    await waitFor('the answers to be written after all', async () => (await exists(path.join(dir, `${done.downloadId}.zip`))) && (await exists(path.join(dir, 'Fact20.status.json'))));
    await waitFor('the error to clear', async () => (await t!.runtime.erpFolders.view(CIF))!.writeBackErrorCount === 0);
  });

  it('with a file of the ERP in the way (the target name is a folder), records the error instead of failing', async () => {
    await start();
    const dir = path.join(folder, 'Efact2026_11', 'Fact');
    await mkdir(path.join(dir, 'Fact30.status.json'), { recursive: true });
    const file = await put(path.join('Efact2026_11', 'Fact', 'Fact30.XML'), sampleInvoice('FACT30'));
    await invoiceAt(file, (i) => i.status === 'downloaded', 'FACT30 downloaded');
    const v = await waitFor('the write-back error', async () => {
      const x = await t!.runtime.erpFolders.view(CIF);
      return x && x.writeBackErrorCount > 0 ? x : undefined;
    });
    expect(v.writeBackErrors[0]!.sourcePath).toBe(file);
  });

  it('writes nothing back when writeBack is false', async () => {
    await start({ writeBack: false });
    const file = await put(path.join('Efact2026_11', 'Fact', 'Fact40.XML'), sampleInvoice('FACT40'));
    await invoiceAt(file, (i) => i.status === 'downloaded', 'FACT40 downloaded');
    await sleep(300);
    expect((await readdir(path.dirname(file))).sort()).toEqual(['Fact40.XML']);
  });

  it('takes only the selected months, and more once a person selects them', async () => {
    await start({ months: ['2026-11'], http: true });
    const app = t!.runtime.app!;
    const nov = await put(path.join('Efact2026_11', 'Fact', 'Fact50.XML'), sampleInvoice('FACT50'));
    const oct = await put(path.join('Efact2026_10', 'Fact', 'Fact51.XML'), sampleInvoice('FACT51'));
    await invoiceAt(nov, () => true, 'November taken');
    await sleep(500);
    expect((await t!.runtime.store.listInvoices({ limit: 10 })).map((i) => i.origin.sourcePath)).toEqual([nov]);
    const before = await app.inject({ method: 'GET', url: `/api/v1/companies/RO${CIF}/erp-folder` });
    expect(before.json()).toMatchObject({ exportFolder: folder, writeBack: true, months: { months: ['2026-11'], source: 'config' }, writeBackErrorCount: 0 });
    const refused = await app.inject({ method: 'PUT', url: `/api/v1/companies/${CIF}/months`, payload: { months: ['2026-13'] } });
    expect(refused.statusCode).toBe(400);
    const chosen = await app.inject({ method: 'PUT', url: `/api/v1/companies/${CIF}/months`, payload: { months: ['2026-11', '2026-10'] } });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json()).toEqual({ months: ['2026-10', '2026-11'], source: 'person' });
    await invoiceAt(oct, () => true, 'October taken after selecting it');
  });
});
