import type { Lang } from './i18n';

export function fmtDate(iso: string | null, lang: Lang): string {
  if (iso === null) return '';
  const d = new Date(iso);
  return d.toLocaleString(lang === 'ro' ? 'ro-RO' : 'en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function fmtTime(iso: string, lang: Lang, seconds = false): string {
  return new Date(iso).toLocaleTimeString(lang === 'ro' ? 'ro-RO' : 'en-GB', { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) });
}

export function fmtInt(n: number, lang: Lang): string {
  return n.toLocaleString(lang === 'ro' ? 'ro-RO' : 'en-GB');
}

/** The last part of a path: the manuals' grid shows the file name. */
export function fileName(path: string | null): string {
  if (path === null) return '';
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}
