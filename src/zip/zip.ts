/**
 * ZIP reading with limits (entry count, per-entry and total uncompressed size) and ZIP writing.
 * Platform answers are untrusted: a ZIP bomb must fail with a clear error, not fill the disk.
 */
import { Unzip, UnzipInflate, UnzipPassThrough, zipSync, type UnzipFile } from 'fflate';
import { EfactError } from '../domain/errors.js';

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 50,
  maxEntryBytes: 20 * 1024 * 1024,
  maxTotalBytes: 50 * 1024 * 1024,
};

function zipError(message: string): EfactError {
  return new EfactError('INVALID_ZIP', message);
}

/** Extracts every file entry; directories are skipped. Sizes are counted as bytes inflate, not as declared. */
export function readZip(data: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Map<string, Uint8Array> {
  if (data.byteLength < 22 || data[0] !== 0x50 || data[1] !== 0x4b) {
    throw zipError('not a ZIP archive (missing PK signature)');
  }
  // The streaming reader walks local headers, so a cut-off archive would still yield its first
  // entries: insist on the end-of-central-directory record (the last thing a ZIP writer writes).
  if (!hasEndOfCentralDirectory(data)) throw zipError('ZIP is truncated (no end-of-central-directory record)');
  const out = new Map<string, Uint8Array>();
  let started = 0;
  let entries = 0;
  let total = 0;
  let failure: EfactError | null = null;
  const unzip = new Unzip((file: UnzipFile) => {
    if (failure) return;
    if (file.name.endsWith('/')) return;
    entries++;
    if (entries > limits.maxEntries) {
      failure = zipError(`ZIP has more than ${limits.maxEntries} entries`);
      return;
    }
    if (file.name.includes('..') || file.name.startsWith('/') || file.name.includes('\\')) {
      failure = zipError(`ZIP entry name not allowed: ${JSON.stringify(file.name)}`);
      return;
    }
    const chunks: Uint8Array[] = [];
    started++;
    let size = 0;
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) {
        failure = zipError(`ZIP entry ${file.name} is corrupt: ${err.message}`);
        return;
      }
      size += chunk.byteLength;
      total += chunk.byteLength;
      if (size > limits.maxEntryBytes) {
        failure = zipError(`ZIP entry ${file.name} inflates beyond ${limits.maxEntryBytes} bytes`);
        file.terminate();
        return;
      }
      if (total > limits.maxTotalBytes) {
        failure = zipError(`ZIP contents inflate beyond ${limits.maxTotalBytes} bytes`);
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) out.set(file.name, Buffer.concat(chunks));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    // Feed in slices so the inflater reports progress and the limits bite early.
    const step = 64 * 1024;
    for (let i = 0; i < data.byteLength && !failure; i += step) {
      const end = Math.min(i + step, data.byteLength);
      unzip.push(data.subarray(i, end), end === data.byteLength);
    }
  } catch (e) {
    if (!failure) failure = zipError(`ZIP is corrupt: ${(e as Error).message}`);
  }
  if (failure) throw failure;
  if (out.size !== started) throw zipError(`ZIP is truncated: ${started - out.size} of ${started} entries end early`);
  if (out.size === 0) throw zipError('ZIP holds no files');
  return out;
}

/** PK\x05\x06 within the last 22 + 65 535 bytes (the record plus the longest comment). */
function hasEndOfCentralDirectory(data: Uint8Array): boolean {
  const stop = Math.max(0, data.byteLength - 22 - 0xffff);
  for (let i = data.byteLength - 22; i >= stop; i--) {
    if (data[i] === 0x50 && data[i + 1] === 0x4b && data[i + 2] === 0x05 && data[i + 3] === 0x06) return true;
  }
  return false;
}

/** Builds a ZIP from name → bytes (deflated). */
export function writeZip(files: ReadonlyMap<string, Uint8Array> | Record<string, Uint8Array>): Uint8Array {
  const obj: Record<string, Uint8Array> = files instanceof Map ? Object.fromEntries(files) : { ...(files as Record<string, Uint8Array>) };
  return zipSync(obj, { level: 6 });
}
