/**
 * The export-folder benchmark: how long Efact takes to notice one new invoice file in an ERP
 * export tree of N files (EFACT_BENCH_FOLDER_FILES, default 100 000), with the file index in
 * the store. The tree (and the store that indexed it once) are kept under the OS temp folder
 * and reused by later runs: creating 100 000 files takes about a minute, and their first
 * intake several more.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openStore } from '../adapters/store/open.js';
import { SqlErpFolderStore } from '../adapters/store/erp-folders.js';
import { silentLogger } from '../engine/context.js';
import { FolderIntake } from '../engine/intake/folder-intake.js';
import { IntakeService, type IntakeRequest } from '../engine/intake/intake-service.js';
import { buildSampleInvoice } from '../sandbox/anaf/sample-invoice.js';
import { BENCH_TREE_CIF, ensureFolderTree, monthOfIndex } from './folder-tree.js';

export interface FolderBenchRow {
  label: string;
  seconds: number;
  note: string;
}

class WatchedIntake extends IntakeService {
  count = 0;
  onSubmit: ((path: string) => void) | null = null;
  override async submit(req: IntakeRequest) {
    const out = await super.submit(req);
    this.count += 1;
    this.onSubmit?.(req.origin.sourcePath ?? '');
    return out;
  }
}

export async function runFolderBench(files: number, log: (s: string) => void): Promise<FolderBenchRow[]> {
  const rows: FolderBenchRow[] = [];
  const treeStart = performance.now();
  const tree = await ensureFolderTree(files, log);
  const treeSeconds = (performance.now() - treeStart) / 1000;
  const dbFile = `${tree}.efact.db`;
  const primed = `${dbFile}.complete`;
  if (!existsSync(primed)) await rm(dbFile, { force: true });
  const store = await openStore({ path: dbFile, synchronous: 'NORMAL' });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const extra: string[] = [];
  try {
    await store.migrate();
    const company = await store.upsertCompany({ cif: BENCH_TREE_CIF, shortName: 'BENCH', name: 'Bench SRL', environment: 'test', exportFolder: tree });
    const index = new SqlErpFolderStore(store.db).folderIndex(company.id);
    const intake = new WatchedIntake(store, 'bench');
    // The tree's months (2024-2025) are past: as in real life, only this and last month are live.
    const make = (usePolling: boolean): FolderIntake =>
      new FolderIntake({ companyCif: BENCH_TREE_CIF, folder: tree, log: silentLogger, intake, index, stableMs: 100, usePolling, scanIntervalMs: 3_600_000 });

    if (!existsSync(primed)) {
      log(`first intake of the ${files} files (once; the store is kept at ${dbFile})`);
      const t0 = performance.now();
      const fi = make(false);
      await fi.start();
      await fi.settle();
      await fi.stop();
      const s = (performance.now() - t0) / 1000;
      rows.push({ label: `first intake of ${files} files (read, hash, parse, store)`, seconds: s, note: `${(files / s).toFixed(0)} files/s, once` });
      await writeFile(primed, `${files}\n`);
    }

    // A restart: every file stat-ed once against the index, none read again.
    intake.count = 0;
    const t1 = performance.now();
    const fi = make(false);
    await fi.start();
    await fi.settle();
    rows.push({ label: `restart over ${files} indexed files`, seconds: (performance.now() - t1) / 1000, note: `${intake.count} files read again` });

    const quiet = await fi.refresh();
    rows.push({
      label: 'reconciliation walk, nothing changed',
      seconds: quiet.ms / 1000,
      note: `${quiet.foldersListed} folders listed, ${quiet.foldersSkipped} skipped by mtime, ${quiet.filesStatted} files stat-ed`,
    });

    // A new file in an old month folder: noticed through the folder's fs.watch event.
    const stamp = Date.now();
    const oldMonth = monthOfIndex(Math.floor(files / 2));
    const newFile = (n: string): string => path.join(tree, oldMonth.folder, 'Fact', `New-${stamp}-${n}.XML`);
    const noticed = (file: string): Promise<number> =>
      new Promise((resolve) => {
        intake.onSubmit = (p) => {
          if (p === file) resolve(performance.now());
        };
      });
    const a = newFile('event');
    const seenA = noticed(a);
    const t2 = performance.now();
    await writeFile(a, buildSampleInvoice({ supplierCif: BENCH_TREE_CIF, buyerCif: '8609468', id: `NEW-${stamp}-A`, issueDate: `${oldMonth.month}-15` }));
    const s2 = ((await seenA) - t2) / 1000;
    rows.push({ label: `new file among ${files}, watcher event`, seconds: s2, note: 'includes stableMs 0.1 s: the file must look complete first' });
    await fi.stop();

    // The same without events (network share): the next reconciliation walk finds it.
    const polled = make(true);
    await polled.start();
    await polled.settle();
    const b = newFile('walk');
    const seenB = noticed(b);
    await writeFile(b, buildSampleInvoice({ supplierCif: BENCH_TREE_CIF, buyerCif: '8609468', id: `NEW-${stamp}-B`, issueDate: `${oldMonth.month}-15` }));
    await new Promise((r) => setTimeout(r, 150)); // older than stableMs: taken at first sight
    const t3 = performance.now();
    const walk = await polled.refresh();
    const s3 = ((await seenB) - t3) / 1000;
    rows.push({
      label: `new file among ${files}, reconciliation walk (no events)`,
      seconds: s3,
      note: `${walk.foldersListed} folder listed, ${walk.filesStatted} files stat-ed`,
    });
    await polled.stop();
    // Leave the cached tree as it was made, so the next run measures the same thing.
    await rm(a, { force: true });
    await rm(b, { force: true });
    extra.push(`tree ${treeSeconds > 5 ? `created in ${treeSeconds.toFixed(0)} s` : 'reused'}`);
  } finally {
    clearInterval(sampler);
    await store.close();
  }
  rows.push({ label: 'peak RSS of the folder bench', seconds: Number.NaN, note: `${(peakRss / 1024 / 1024).toFixed(0)} MB; ${extra.join(', ')}` });
  return rows;
}
