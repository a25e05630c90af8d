/**
 * The archive on the file system: `<data>/archive/<cif>/<yyyy-mm>/<downloadId>.zip`, the
 * platform's answer as received, with its extracted files beside it (`<downloadId>.xml`,
 * `semnatura_<downloadId>.xml`). The ZIP is written last and it and its folder are fsynced
 * before `write` returns. Nothing reads an archived answer until the store records it, after
 * `write`; a crash before that leaves at most a partial file that the retry overwrites, so no
 * temporary name is needed here. (File creation is the costly part on ordinary disks: ~1 400
 * files/s measured here, so the archive creates exactly three files per answer and no more.)
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

/**
 * fsync of a folder, coalesced: a caller joins the next sync that starts after its call, so many
 * new files in one folder cost one fsync, not one each (group commit).
 */
class FolderSync {
  private running = new Map<string, Promise<void>>();
  private queued = new Map<string, Promise<void>>();

  sync(dir: string): Promise<void> {
    const waiting = this.queued.get(dir);
    if (waiting) return waiting;
    const before = this.running.get(dir) ?? Promise.resolve();
    const next = before.then(async () => {
      this.queued.delete(dir);
      this.running.set(dir, next);
      const fh = await open(dir, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
        if (this.running.get(dir) === next) this.running.delete(dir);
      }
    });
    this.queued.set(dir, next);
    return next;
  }
}

const folderSync = new FolderSync();

export class FileSystemArchive implements Archive {
  /** Folders known to exist: mkdir is not free on the hot path. */
  private readonly made = new Set<string>();

  constructor(private readonly dataDir: string) {}

  private async ensureDir(dir: string): Promise<void> {
    if (this.made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.made.add(dir);
  }

  async write(req: ArchiveWriteRequest): Promise<string> {
    const folderRel = path.posix.join('archive', safeSegment(req.cif, 'CIF'), safeSegment(req.month, 'month'));
    const rel = path.posix.join(folderRel, `${safeSegment(req.downloadId, 'download id')}.zip`);
    const folder = path.join(this.dataDir, folderRel);
    await this.ensureDir(folder);
    // The three files are independent: write them side by side; the answer counts once the ZIP
    // and the folder are synced, after all three are written. Each goes to a temporary name and is
    // renamed into place, so an answer downloaded again (after a crash) never leaves a complete
    // archive half-overwritten if this process is killed mid-write.
    const names = [...req.entries.keys()].map((name) => safeSegment(path.basename(name), 'file name'));
    const replace = async (target: string, bytes: Uint8Array, sync: boolean): Promise<void> => {
      const temp = `${target}.${process.pid}.tmp`;
      const fh = await open(temp, 'w');
      try {
        await fh.writeFile(bytes);
        if (sync) await fh.datasync();
      } finally {
        await fh.close();
      }
      await rename(temp, target);
    };
    await Promise.all([
      ...[...req.entries.values()].map((bytes, i) => replace(path.join(folder, names[i]!), bytes, false)),
      replace(path.join(this.dataDir, rel), req.zip, true),
    ]);
    await folderSync.sync(folder);
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
