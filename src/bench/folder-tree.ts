/**
 * A large ERP export tree for the folder benchmark, laid out as the manuals show it
 * (`Efact<yyyy>_<mm>/Fact/Fact<n>.XML`), kept under the OS temp folder between runs: creating
 * 100 000 files takes over a minute on an ordinary disk, and the tree never changes.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildSampleInvoice } from '../sandbox/anaf/sample-invoice.js';

export const BENCH_TREE_CIF = '8000000000';
const BUYER = '8609468';
/** Files per month folder: 24 months of 4 167 files make 100 000. */
const PER_MONTH = 4_167;

export function monthOfIndex(i: number): { folder: string; month: string } {
  const m = Math.floor(i / PER_MONTH); // 0 = 2024-01
  const year = 2024 + Math.floor(m / 12);
  const mm = String((m % 12) + 1).padStart(2, '0');
  return { folder: `Efact${year}_${mm}`, month: `${year}-${mm}` };
}

/** Creates (once) and returns the tree's root; `count` files in all. */
export async function ensureFolderTree(count: number, log: (s: string) => void = () => {}): Promise<string> {
  const root = path.join(os.tmpdir(), `efact-bench-folder-${count}`);
  const done = path.join(root, '.complete');
  if (existsSync(done) && (await readFile(done, 'utf8')).trim() === String(count)) return root;
  log(`creating ${count} invoice files under ${root} (once; later runs reuse them)`);
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    const { folder, month } = monthOfIndex(i);
    const dir = path.join(root, folder, 'Fact');
    if (i % PER_MONTH === 0) await mkdir(dir, { recursive: true });
    const xml = buildSampleInvoice({ supplierCif: BENCH_TREE_CIF, buyerCif: BUYER, id: `BT${i + 1}`, issueDate: `${month}-15` });
    await writeFile(path.join(dir, `Fact${i + 1}.XML`), xml);
    if ((i + 1) % 20_000 === 0) log(`  ${i + 1} files, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  await writeFile(done, `${count}\n`);
  return root;
}
