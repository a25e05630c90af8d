/**
 * The archive on the file system: `<data>/archive/<cif>/<yyyy-mm>/<downloadId>.zip` plus the
 * extracted files in `<downloadId>/`. Every file is written to a temporary name, fsynced and
 * renamed, so a crash never leaves half an answer where a whole one is expected.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { EfactError } from '../../domain/errors.js';
import type { Archive, ArchiveWriteRequest } from '../../ports/archive.js';

const SAFE_NAME = /^[A-Za-z0-9._-]+$/;

function safeSegment(value: string, what: string): string {
  if (!SAFE_NAME.test(value) || value === '.' || value === '..') {
    throw new EfactError('INVALID_REQUEST', `refusing to archive under an unsafe ${what}: ${JSON.stringify(value)}`);
  }
  return value;
}

/** Writes bytes atomically and durably: temp file, fsync, rename, fsync of the folder. */
export async function writeFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

export class FileSystemArchive implements Archive {
  constructor(private readonly dataDir: string) {}

  async write(req: ArchiveWriteRequest): Promise<string> {
    const rel = path.posix.join(
      'archive',
      safeSegment(req.cif, 'CIF'),
      safeSegment(req.month, 'month'),
      `${safeSegment(req.downloadId, 'download id')}.zip`,
    );
    const abs = path.join(this.dataDir, rel);
    const folder = abs.slice(0, -'.zip'.length);
    for (const [name, bytes] of req.entries) {
      await writeFileAtomic(path.join(folder, safeSegment(path.basename(name), 'file name')), bytes);
    }
    // The ZIP last: its presence means the whole answer is there.
    await writeFileAtomic(abs, req.zip);
    return rel;
  }

  async read(relativePath: string): Promise<Uint8Array> {
    const abs = path.resolve(this.dataDir, relativePath);
    if (!abs.startsWith(path.resolve(this.dataDir) + path.sep)) {
      throw new EfactError('NOT_FOUND', `archive path outside the data folder: ${relativePath}`);
    }
    try {
      return await readFile(abs);
    } catch (e) {
      throw new EfactError('NOT_FOUND', `archived answer ${relativePath} is missing`, { cause: e });
    }
  }
}
