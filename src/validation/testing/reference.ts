/**
 * Where the reference material is: EFACT_REFERENCE_DIR, else ../shared/reference from the project
 * root (the lead's checkout), else ../../shared/reference (a helper's worktree under /work/wt/).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export function referenceDir(): string | null {
  const candidates = [
    process.env['EFACT_REFERENCE_DIR'],
    path.resolve(process.cwd(), '../shared/reference'),
    path.resolve(process.cwd(), '../../shared/reference'),
  ].filter((p): p is string => typeof p === 'string' && p !== '');
  return candidates.find((p) => existsSync(path.join(p, 'cius-ro'))) ?? null;
}

/** Cache for SEF and official results, kept out of git (.cache/ is ignored). */
export function validationCacheDir(): string {
  return path.resolve(process.cwd(), '.cache/validation');
}
