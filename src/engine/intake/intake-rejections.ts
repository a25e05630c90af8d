/**
 * Files an intake channel could not take, kept in memory so a person can see them (dashboard,
 * API, CLI) instead of digging through logs: malformed XML, a supplier that is not the
 * company, a conflict with an invoice already at ANAF, an unreadable sidecar.
 *
 * One entry per file and company — the latest problem with it — newest first, at most
 * `perCompany` (default 200) per company. A file that is later accepted, or removed from the
 * export folder, is dropped from the list (`resolve`). Nothing here is durable: after a restart
 * the folder is scanned again and every file still there is reported again.
 */
import { normalizeCif } from '../../domain/cif.js';

export interface IntakeRejection {
  /** The company's CIF, digits only. */
  companyCif: string;
  /** Where the file is, as a person finds it: relative to the export folder (e.g. Efact2026_11/Fact/Fact1.XML). */
  file: string;
  /** Stable public error code, e.g. EFACT_ERR_INVALID_XML. */
  code: string;
  message: string;
  at: Date;
  /** True when the problem may go away by itself (file locked, store busy) and the file is tried again. */
  retrying?: boolean;
}

export const DEFAULT_REJECTIONS_PER_COMPANY = 200;

function cifKey(cif: string): string {
  return normalizeCif(cif) ?? cif.trim();
}

export class IntakeRejections {
  /** Per company: file → rejection, in insertion order (oldest first). */
  private readonly byCompany = new Map<string, Map<string, IntakeRejection>>();

  constructor(private readonly perCompany = DEFAULT_REJECTIONS_PER_COMPANY) {
    if (!Number.isInteger(perCompany) || perCompany < 1) throw new RangeError(`perCompany must be a positive integer, got ${perCompany}`);
  }

  /** Records (or refreshes) the rejection of one file; the oldest entries beyond the bound are dropped. */
  record(rejection: IntakeRejection): void {
    const cif = cifKey(rejection.companyCif);
    let files = this.byCompany.get(cif);
    if (files === undefined) {
      files = new Map();
      this.byCompany.set(cif, files);
    }
    files.delete(rejection.file); // re-inserted last: newest
    files.set(rejection.file, { ...rejection, companyCif: cif, at: new Date(rejection.at.getTime()) });
    while (files.size > this.perCompany) {
      const oldest = files.keys().next().value as string;
      files.delete(oldest);
    }
  }

  /** Forgets a file's rejection (it was accepted after all, or removed). Returns whether there was one. */
  resolve(companyCif: string, file: string): boolean {
    const cif = cifKey(companyCif);
    const files = this.byCompany.get(cif);
    if (files === undefined) return false;
    const had = files.delete(file);
    if (files.size === 0) this.byCompany.delete(cif);
    return had;
  }

  /** Current rejections, newest first: of one company (CIF with or without RO), or of all. */
  list(companyCif?: string): IntakeRejection[] {
    const lists =
      companyCif === undefined ? [...this.byCompany.values()] : [this.byCompany.get(cifKey(companyCif)) ?? new Map<string, IntakeRejection>()];
    const all = lists.flatMap((files) => [...files.values()]);
    // Stable sort on a per-company newest-last order: reverse first so equal times keep newest first.
    return all
      .reverse()
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .map((r) => ({ ...r, at: new Date(r.at.getTime()) }));
  }

  /** How many files of a company (or of all) are currently rejected. */
  count(companyCif?: string): number {
    if (companyCif !== undefined) return this.byCompany.get(cifKey(companyCif))?.size ?? 0;
    let n = 0;
    for (const files of this.byCompany.values()) n += files.size;
    return n;
  }
}
