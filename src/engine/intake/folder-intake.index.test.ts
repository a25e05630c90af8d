/**
 * The folder intake at scale: a persisted index (a restart re-reads nothing unchanged), walks
 * that skip folders whose mtime did not change and stat only live folders' files, temporary
 * names ignored until renamed into place, unchanged bytes under a new mtime not taken again.
 */
import { mkdir, mkdtemp, rename, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Company } from '../../domain/company.js';
import { openStore } from '../../adapters/store/open.js';
import { SqlErpFolderStore } from '../../adapters/store/erp-folders.js';
import type { SqlStore } from '../../adapters/store/sql-store.js';
import { buildSampleInvoice } from '../../sandbox/anaf/sample-invoice.js';
import { silentLogger } from '../context.js';
import { FolderIntake, type FolderIntakeOptions } from './folder-intake.js';
import { IntakeRejections } from './intake-rejections.js';
import { IntakeService, type IntakeRequest } from './intake-service.js';
import { sleep, waitFor } from '../../../test/helpers/wait.js';

const CIF = '8000000000';
const BUYER = '8609468';
const xml = (id: string, note?: string): string =>
  buildSampleInvoice({ supplierCif: CIF, buyerCif: BUYER, id, issueDate: '2025-03-05', ...(note ? { note } : {}) });

/** Counts what reaches intake (each one a full read, hash and parse). */
class CountingIntake extends IntakeService {
  submitted: string[] = [];
  override async submit(req: IntakeRequest) {
    this.submitted.push(req.origin.sourcePath ?? '');
    return super.submit(req);
  }
}

describe('FolderIntake with a persisted index', () => {
  let dir: string;
  let store: SqlStore;
  let company: Company;
  let running: FolderIntake[];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'efact-folder-index-'));
    store = await openStore({ path: ':memory:' });
    company = await store.upsertCompany({ cif: CIF, shortName: 'T', name: 'T SRL', environment: 'test', exportFolder: dir });
    running = [];
  });

  afterEach(async () => {
    for (const fi of running) await fi.stop();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function start(extra: Partial<FolderIntakeOptions> & { intake: IntakeService }): Promise<FolderIntake> {
    const fi = new FolderIntake({
      companyCif: CIF,
      folder: dir,
      log: silentLogger,
      stableMs: 100,
      usePolling: true,
      scanIntervalMs: 100,
      index: new SqlErpFolderStore(store.db).folderIndex(company.id),
      ...extra,
    });
    running.push(fi);
    await fi.start();
    return fi;
  }

  async function stopAll(): Promise<void> {
    for (const fi of running) await fi.stop();
    running = [];
  }

  async function put(rel: string, content: string): Promise<string> {
    const file = path.join(dir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    return file;
  }

  it('after a restart reads no unchanged file again, shows a refusal again without re-reading it, and takes what changed meanwhile', async () => {
    const a = await put('Efact2025_03/Fact/Fact1.XML', xml('IX-1'));
    await put('Efact2025_03/Fact/Fact2.XML', xml('IX-2'));
    const bad = await put('Efact2025_03/Fact/Fact3.XML', '<Invoice>broken');
    const first = new CountingIntake(store, 't');
    const rejections = new IntakeRejections();
    const fi = await start({ intake: first, rejections });
    await waitFor('three files handled', async () => {
      await fi.settle();
      return first.submitted.length === 3 && rejections.count() === 1;
    });
    await stopAll();

    // While Efact is down the ERP corrects one file and adds another.
    await writeFile(a, xml('IX-1', 'corectata'));
    await put('Efact2025_03/Fact/Fact4.XML', xml('IX-4'));
    const second = new CountingIntake(store, 't');
    const again = new IntakeRejections();
    const fi2 = await start({ intake: second, rejections: again });
    await fi2.settle();
    expect(second.submitted.sort()).toEqual([a, path.join(dir, 'Efact2025_03/Fact/Fact4.XML')].sort());
    // The malformed file is listed again (the list is in memory) but was not read again.
    expect(again.list()).toMatchObject([{ file: 'Efact2025_03/Fact/Fact3.XML', code: 'EFACT_ERR_INVALID_XML' }]);
    expect(second.submitted).not.toContain(bad);
  });

  it('does not take the same bytes again when only the mtime changed (touched, copied back)', async () => {
    const file = await put('Efact2025_03/Fact/Fact1.XML', xml('IX-10'));
    const intake = new CountingIntake(store, 't');
    const fi = await start({ intake });
    await waitFor('taken', () => intake.submitted.length === 1);
    const later = new Date(Date.now() + 5_000);
    await utimes(file, later, later);
    await sleep(400);
    await fi.settle();
    expect(intake.submitted).toHaveLength(1);
  });

  it('ignores temporary names until the file is renamed into place', async () => {
    const intake = new CountingIntake(store, 't');
    const fi = await start({ intake });
    const tmpNames = ['~Fact1.XML', '.Fact1.XML', 'Fact1.XML.tmp'];
    for (const n of tmpNames) await put(`Efact2025_03/Fact/${n}`, xml('IX-20'));
    await sleep(400);
    await fi.settle();
    expect(intake.submitted).toEqual([]);
    await rename(path.join(dir, 'Efact2025_03/Fact/~Fact1.XML'), path.join(dir, 'Efact2025_03/Fact/Fact1.XML'));
    await waitFor('the renamed file taken', () => intake.submitted.length === 1);
    expect(intake.submitted[0]).toBe(path.join(dir, 'Efact2025_03/Fact/Fact1.XML'));
  });

  it('walks a large tree incrementally: old months are neither listed nor stat-ed again, and a new file is still noticed', async () => {
    // 12 old months × 100 files (a small stand-in for 100 000; `npm run bench` has the big figure).
    const months = Array.from({ length: 12 }, (_, i) => `Efact2024_${String(i + 1).padStart(2, '0')}`);
    for (const m of months) {
      await mkdir(path.join(dir, m, 'Fact'), { recursive: true });
      await Promise.all(Array.from({ length: 100 }, (_, i) => writeFile(path.join(dir, m, 'Fact', `F${i}.XML`), xml(`${m}-${i}`))));
    }
    const intake = new CountingIntake(store, 't');
    // Walks by hand only (a long interval), to look at each one's figures.
    const fi = await start({ intake, scanIntervalMs: 3_600_000, usePolling: false, today: () => new Date('2026-12-02T10:00:00Z') });
    await waitFor('1 200 files taken', async () => {
      await fi.settle();
      return intake.submitted.length === 1200;
    }, 60_000);
    const quiet = await fi.refresh();
    // Nothing changed: no folder is listed again and, old months not being live, no file is stat-ed.
    expect(quiet.foldersListed).toBe(0);
    expect(quiet.filesStatted).toBe(0);
    expect(quiet.foldersSkipped).toBe(1 + 12 * 2);

    // A new file in one old month: only that folder is listed again.
    const added = await put('Efact2024_07/Fact/Fact-new.XML', xml('IX-NEW'));
    const walk = await fi.refresh();
    expect(walk.foldersListed).toBe(1);
    expect(walk.filesStatted).toBe(101);
    await waitFor('the new file taken', () => intake.submitted.includes(added));
    expect(intake.submitted).toHaveLength(1201);
  }, 90_000);

  it('skips months that are not selected, without walking into them', async () => {
    await put('Efact2025_02/Fact/Fact1.XML', xml('IX-30'));
    const mar = await put('Efact2025_03/Fact/Fact1.XML', xml('IX-31'));
    const intake = new CountingIntake(store, 't');
    let selected: string[] | null = ['2025-03'];
    const fi = await start({ intake, months: () => selected });
    await fi.settle();
    await waitFor('March taken', () => intake.submitted.length === 1);
    expect(intake.submitted).toEqual([mar]);
    selected = null;
    await fi.refresh();
    await waitFor('February taken once every month is selected', () => intake.submitted.length === 2);
  });

  it('reports an unreadable file once after a few tries, and tries it again only when it changes', async () => {
    const file = await put('Efact2025_03/Fact/Fact1.XML', xml('IX-40'));
    let readable = false;
    let reads = 0;
    const intake = new CountingIntake(store, 't');
    const rejections = new IntakeRejections();
    const { readFile } = await import('node:fs/promises');
    const fi = await start({
      intake,
      rejections,
      retryMs: 30,
      // Events: an in-place rewrite in a past month changes no folder time, so a walk alone would see it only in its hourly full pass.
      usePolling: false,
      readFile: async (f) => {
        reads += 1;
        if (!readable) throw Object.assign(new Error(`EACCES: permission denied, open '${f}'`), { code: 'EACCES', syscall: 'open' });
        return readFile(f);
      },
    });
    await waitFor('the file reported as not accepted', () => rejections.list().some((r) => !r.retrying && r.message.includes('cannot be read')));
    const tried = reads;
    await sleep(400);
    await fi.settle();
    expect(reads).toBe(tried);
    expect(tried).toBe(3);
    readable = true;
    await writeFile(file, xml('IX-40', 'regenerata'));
    await waitFor('taken once it changed', () => intake.submitted.length === 1);
    await waitFor('the rejection resolved', () => rejections.count() === 0);
  });
});
