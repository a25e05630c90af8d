/**
 * Building a part of the project once for all test workers when it is missing or older than its
 * sources: the CLI tests need dist/ (tsc), the browser tests dist/web (Vite). Test files run in
 * parallel workers, so a lock directory makes the others wait for the one that builds.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The newest modification time of the files under `dir` that `include` accepts (0 for none). */
export function newestMtime(dir: string, include: (name: string) => boolean = () => true): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, include));
    else if (entry.isFile() && include(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Whether `output` is missing or older than the newest source under `sourceDir`. */
export function isOlderThanSources(output: string, sourceDir: string, include?: (name: string) => boolean): boolean {
  let built: number;
  try {
    built = statSync(output).mtimeMs;
  } catch {
    return true;
  }
  return built < newestMtime(sourceDir, include);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `build` when `stale()` says so, in one worker at a time (lock `efact-<what>-build-<hash of
 * the project root>.lock` in the temporary folder; one older than five minutes was left by a
 * killed run and is removed). Waits at most 170 s for another worker's build.
 */
export async function buildOnceWhenStale(what: string, root: string, stale: () => boolean, build: () => void): Promise<void> {
  if (!stale()) return;
  const lock = path.join(os.tmpdir(), `efact-${what}-build-${createHash('sha1').update(root).digest('hex').slice(0, 12)}.lock`);
  const deadline = Date.now() + 170_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // another worker is building
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the ${what} build lock ${lock}`);
      await sleep(250);
    }
  }
  try {
    if (!stale()) return; // built by the worker that held the lock
    build();
  } finally {
    rmdirSync(lock);
  }
}
