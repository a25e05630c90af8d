import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fsFolderWriter, removeOwnFile, writeExactFile, writeOwnFile } from './atomic-file.js';

const MARK = 'Efact mark';

describe('files Efact writes into an ERP folder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'efact-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appear whole under their name, with no temporary file left', async () => {
    await writeOwnFile(fsFolderWriter, dir, 'Fact1.status.json', Buffer.from(`${MARK} v1`), MARK);
    await writeOwnFile(fsFolderWriter, dir, 'Fact1.status.json', Buffer.from(`${MARK} v2`), MARK);
    expect(await readFile(path.join(dir, 'Fact1.status.json'), 'utf8')).toBe(`${MARK} v2`);
    expect(await readdir(dir)).toEqual(['Fact1.status.json']);
  });

  it("never replace or remove a file of the ERP's that happens to have the same name", async () => {
    await writeFile(path.join(dir, 'Fact1.errors.txt'), 'the ERP wrote this');
    await expect(writeOwnFile(fsFolderWriter, dir, 'Fact1.errors.txt', Buffer.from(`${MARK} x`), MARK)).rejects.toThrow(/not written by Efact/);
    await removeOwnFile(fsFolderWriter, dir, 'Fact1.errors.txt', MARK);
    expect(await readFile(path.join(dir, 'Fact1.errors.txt'), 'utf8')).toBe('the ERP wrote this');
  });

  it('remove their own files, and do nothing for a file that is not there', async () => {
    await writeOwnFile(fsFolderWriter, dir, 'F.errors.txt', Buffer.from(`${MARK} x`), MARK);
    await removeOwnFile(fsFolderWriter, dir, 'F.errors.txt', MARK);
    await removeOwnFile(fsFolderWriter, dir, 'F.errors.txt', MARK);
    expect(await readdir(dir)).toEqual([]);
  });

  it('copy an exact file once, and refuse a different one under its name', async () => {
    await writeExactFile(fsFolderWriter, dir, '123.zip', Buffer.from('zip-bytes'));
    await writeExactFile(fsFolderWriter, dir, '123.zip', Buffer.from('zip-bytes'));
    await expect(writeExactFile(fsFolderWriter, dir, '123.zip', Buffer.from('other'))).rejects.toThrow(/other content/);
    expect(await readFile(path.join(dir, '123.zip'), 'utf8')).toBe('zip-bytes');
  });
});
