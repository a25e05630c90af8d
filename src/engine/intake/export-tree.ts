/**
 * The shape of an ERP export tree as the WinMentor manuals show it
 * (`D:\sai\efacturare\Efact2021_12\Fact\Fact1.XML`): a folder per month `Efact<yyyy>_<mm>`,
 * sub-folders per document type, invoice files named in any case. Pure helpers, no I/O.
 */

const MONTH_FOLDER = /^efact(\d{4})_(\d{2})$/i;

/** `2026-11` for a folder named `Efact2026_11` (any case), else null. */
export function monthOfFolderName(name: string): string | null {
  const m = MONTH_FOLDER.exec(name);
  if (!m) return null;
  const mm = Number(m[2]);
  return mm >= 1 && mm <= 12 ? `${m[1]}-${m[2]}` : null;
}

/** The month of the nearest month folder on a relative path (`a/Efact2026_11/Fact/F1.XML` → 2026-11), else null. */
export function monthOfPath(relativePath: string): string | null {
  const segs = relativePath.split(/[\\/]/).filter(Boolean);
  for (let i = segs.length - 1; i >= 0; i--) {
    const m = monthOfFolderName(segs[i]!);
    if (m) return m;
  }
  return null;
}

/** `yyyy-mm`, checked. */
export function isMonth(value: string): boolean {
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

/**
 * A name an ERP (or a copy tool) uses while a file is still being written, renamed into place
 * when complete: hidden names (`.Fact1.XML`), Office-style lock and temp names (`~Fact1.XML`),
 * and temp suffixes. Such files are never taken; their final name is.
 */
export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~') || /\.(tmp|temp|part|partial|crdownload)$/i.test(name);
}

/** An invoice file candidate: `.xml` in any case, not a temporary name. */
export function isInvoiceFileName(name: string): boolean {
  return /\.xml$/i.test(name) && !isTemporaryName(name);
}

export function isSidecarName(name: string): boolean {
  return /\.json$/i.test(name) && !isTemporaryName(name);
}

/** The invoice file's name without `.xml` (`Fact1.XML` → `Fact1`): what the answers beside it are named after. */
export function baseName(fileName: string): string {
  return fileName.replace(/\.xml$/i, '');
}

/** The month before `yyyy-mm`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** `yyyy-mm` of a time, in local time (the ERP names its folders by the machine's calendar). */
export function monthOf(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}
