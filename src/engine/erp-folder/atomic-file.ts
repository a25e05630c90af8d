/**
 * Writing into an ERP's folder without ever showing it half a file, and without ever touching
 * one of the ERP's own files: every file goes to a temporary name in the same folder (a name the
 * folder intake ignores: leading dot, `.tmp` suffix), is fsynced, then renamed into place; a
 * name that already exists is replaced or removed only when it carries Efact's mark (or, for the
 * answer ZIP, holds the very same bytes).
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { EfactError } from '../../domain/errors.js';

/** How the write-back touches a folder; tests inject a failing one (tests run as root, which ignores chmod 0555). */
export interface FolderWriter {
  /** Writes `bytes` as `dir/name`, atomically. */
  write(dir: string, name: string, bytes: Uint8Array): Promise<void>;
  /** Removes `dir/name` if it exists. */
  remove(dir: string, name: string): Promise<void>;
  /** Reads `dir/name`, or null if it does not exist. */
  read(dir: string, name: string): Promise<Uint8Array | null>;
}

function isNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOENT';
}

export const fsFolderWriter: FolderWriter = {
  async write(dir, name, bytes) {
    const tmp = path.join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } catch (e) {
      await fh.close().catch(() => {});
      await unlink(tmp).catch(() => {});
      throw e;
    }
    await fh.close();
    try {
      await rename(tmp, path.join(dir, name));
    } catch (e) {
      await unlink(tmp).catch(() => {});
      throw e;
    }
    // The rename itself is durable once the folder is synced; some file systems (network shares) refuse: not fatal.
    const dh = await open(dir, 'r').catch(() => null);
    if (dh) await dh.sync().catch(() => {}).finally(() => dh.close());
  },
  async remove(dir, name) {
    await unlink(path.join(dir, name)).catch((e: unknown) => {
      if (!isNotFound(e)) throw e;
    });
  },
  async read(dir, name) {
    try {
      return await readFile(path.join(dir, name));
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  },
};

/** The first line of every text file Efact writes beside an invoice: how it recognises its own files. */
export const EFACT_MARK = 'Efact';

export function carriesMark(bytes: Uint8Array, mark: string): boolean {
  return Buffer.from(bytes.subarray(0, 256)).toString('utf8').includes(mark);
}

/** Writes a file of Efact's own beside the invoice; refuses to replace a file that is not Efact's. */
export async function writeOwnFile(writer: FolderWriter, dir: string, name: string, bytes: Uint8Array, mark: string): Promise<void> {
  const existing = await writer.read(dir, name);
  if (existing !== null) {
    if (Buffer.from(existing).equals(Buffer.from(bytes))) return;
    if (!carriesMark(existing, mark)) {
      throw new EfactError('CONFLICT', `${path.join(dir, name)} exists and was not written by Efact; it is left alone`);
    }
  }
  await writer.write(dir, name, bytes);
}

/** Removes a file of Efact's own; a file of that name that is not Efact's is left alone. */
export async function removeOwnFile(writer: FolderWriter, dir: string, name: string, mark: string): Promise<void> {
  const existing = await writer.read(dir, name);
  if (existing === null || !carriesMark(existing, mark)) return;
  await writer.remove(dir, name);
}

/** Copies bytes under a name that must hold exactly them (the answer ZIP): written if absent, refused if different. */
export async function writeExactFile(writer: FolderWriter, dir: string, name: string, bytes: Uint8Array): Promise<void> {
  const existing = await writer.read(dir, name);
  if (existing !== null) {
    if (Buffer.from(existing).equals(Buffer.from(bytes))) return;
    throw new EfactError('CONFLICT', `${path.join(dir, name)} exists with other content; it is left alone`);
  }
  await writer.write(dir, name, bytes);
}
