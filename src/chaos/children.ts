/**
 * The harness's child processes (the sandbox, the `efact serve` instances): started with a line
 * of their output awaited, stopped gently or killed, and all of them killed when the harness
 * exits for any reason (end, error, Ctrl-C) — nothing is left running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';

export interface Child {
  name: string;
  proc: ChildProcess;
  /** Resolves with how it ended: exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive: boolean;
}

const running = new Set<Child>();

function killAll(): void {
  for (const c of running) {
    try {
      c.proc.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

let installed = false;
/** Kills every child when the harness exits or is interrupted. */
export function installCleanup(onInterrupt: () => void): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      killAll();
      onInterrupt();
      process.exit(130);
    });
  }
}

/**
 * Starts `node args…` and waits (bounded) until a line of its stdout matches `ready`; returns the
 * child and the match. Its output goes to `logFile`.
 */
export async function startChild(
  name: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; ready: RegExp; logFile: string; timeoutMs?: number },
): Promise<{ child: Child; match: RegExpMatchArray }> {
  const log: WriteStream = createWriteStream(options.logFile, { flags: 'a' });
  const proc = spawn(process.execPath, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => {
      child.alive = false;
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const child: Child = { name, proc, exited, alive: true };
  running.add(child);
  proc.stderr!.pipe(log, { end: false });
  let buffer = '';
  let ready = false;
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${options.timeoutMs ?? 30_000} ms (see ${options.logFile})`)), options.timeoutMs ?? 30_000);
    proc.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (ready) return;
      buffer += chunk.toString('utf8');
      const m = options.ready.exec(buffer);
      if (m) {
        ready = true;
        buffer = '';
        clearTimeout(timer);
        resolve(m);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      if (ready) return;
      // its own words, for the one reading the failure (the work folder may be gone by then)
      setTimeout(() => {
        let tail = '';
        try {
          tail = readFileSync(options.logFile, 'utf8').split('\n').slice(-8).join('\n');
        } catch {
          // no log yet
        }
        reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal}); ${options.logFile}:\n${tail}`));
      }, 100);
    });
  }).catch((e: unknown) => {
    proc.kill('SIGKILL');
    throw e;
  });
  void exited.then(() => log.end());
  return { child, match };
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: Child, graceMs = 10_000): Promise<void> {
  if (!child.alive) return;
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}
