/** Where the platform's signed answers are kept (file system now; object storage later). */
export interface ArchiveWriteRequest {
  cif: string;
  /** Month folder the answer belongs to (yyyy-mm), from the upload date. */
  month: string;
  /** The platform's download id: names the ZIP, as the manuals do. */
  downloadId: string;
  /** The ZIP exactly as received. */
  zip: Uint8Array;
  /** Files extracted from it (name → bytes), written beside it. */
  entries: ReadonlyMap<string, Uint8Array>;
}

export interface Archive {
  /**
   * Writes the ZIP and its extracted files durably (temp file, fsync, rename) and returns
   * the ZIP's path relative to the data folder. Idempotent: writing the same answer twice is fine.
   */
  write(req: ArchiveWriteRequest): Promise<string>;
  /** Reads an archived ZIP back by the relative path `write` returned. */
  read(relativePath: string): Promise<Uint8Array>;
}
