/**
 * The ERP's export folder as an intake channel: every *.xml / *.XML file dropped there (in any
 * sub-folder, e.g. the manuals' Efact2021_12/Fact/Fact1.XML) is submitted once it is complete.
 * Computer / user / branch come from an optional sidecar `<file>.json` or from the company's
 * path pattern such as "{branch}/{user}/*.xml".
 *
 * Complete means: its size and mtime have not changed for `stableMs` (checked again after the
 * read, so a file still growing is put back), and its name is final — temporary names
 * (`.Fact1.XML`, `~Fact1.XML`, `*.tmp`) are ignored until the ERP renames the file into place.
 *
 * A file that cannot be taken is logged once and recorded in the company's intake rejections
 * (when given) so a person sees it; it is not tried again until it (or its sidecar) changes.
 * A failure that may pass by itself (file locked, store busy) is tried again after `retryMs`.
 * A file replaced by a corrected version is told apart by its content hash, and supersedes
 * its NOK predecessor through the intake service.
 *
 * Scale (hundreds of thousands of files). Why not chokidar over the whole tree: chokidar 4
 * stats every file at start and opens one fs.watch — one inotify watch — per *file*; measured
 * here on a 100 000-file tree: 27 s to get ready and +417 MB of memory even with
 * ignoreInitial, and the per-user inotify limit caps how many such trees a machine can watch.
 * So this intake:
 *  - keeps an index path → size, mtime, content hash, outcome (`index`, persisted in the store:
 *    migration 0006), so a restart stats the files but re-reads none that is unchanged;
 *  - watches *directories* with fs.watch (one inotify watch per folder, not per file): the fast
 *    path, whose events only name a file to look at;
 *  - reconciles every `scanIntervalMs` by walking the folders: a folder whose mtime has not
 *    changed is not listed again, and only the "live" folders — outside month folders, the
 *    current and previous month, and the selected months — have their files stat'ed (an in-place
 *    rewrite does not change the folder's mtime); every `fullScanMs` all files are stat'ed;
 *  - with `months`, takes only the selected month folders and does not even walk the others.
 * `usePolling` (network shares, where inotify sees nothing) drops the watchers and reconciles
 * every `scanIntervalMs` (default then 200 ms).
 */
import { watch as fsWatch, type FSWatcher, type Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EfactError, asEfactError } from '../../domain/errors.js';
import type { InvoiceOrigin } from '../../domain/invoice.js';
import type { FolderFileEntry, FolderIndex } from '../../ports/erp-folder.js';
import type { IntakeService } from './intake-service.js';
import { sha256Hex, VERDICT_RECHECK_MS } from './intake-service.js';
import type { IntakeRejections } from './intake-rejections.js';
import type { EngineLogger } from '../context.js';
import { isInvoiceFileName, isSidecarName, isTemporaryName, monthOf, monthOfFolderName, monthOfPath, previousMonth } from './export-tree.js';

export interface FolderIntakeOptions {
  companyCif: string;
  folder: string;
  pathPattern?: string | null;
  intake: IntakeService;
  log: EngineLogger;
  /** Called after each accepted file (wakes the engine). */
  onAccepted?: () => void;
  /** How long a file's size must stay unchanged before it is taken. */
  stableMs?: number;
  /** Poll instead of native events (network shares, tests). */
  usePolling?: boolean;
  /** Where files that could not be taken are recorded for people to see. */
  rejections?: IntakeRejections;
  /** Wait before trying again a file that failed for a passing reason (default 30 s). */
  retryMs?: number;
  /** The persisted file index (the store's, migration 0006); default: kept in memory only. */
  index?: FolderIndex;
  /** Months (`yyyy-mm`) of the export tree to take; null or empty: all. Read on every scan. */
  months?: () => readonly string[] | null;
  /** Reconciliation walk interval (default 60 s; 200 ms with usePolling). */
  scanIntervalMs?: number;
  /** Every file is stat'ed at least this often, even in month folders that are not live (default 1 h). */
  fullScanMs?: number;
  /** A file was refused for a reason in the file itself (reported once per state); `rel` is relative to the folder. */
  onRefused?: (rel: string, code: string, message: string) => void;
  /** A refused file was taken after all, or removed. */
  onRefusalResolved?: (rel: string) => void;
  /** Reads a file (tests inject an unreadable one: they run as root, which reads everything). */
  readFile?: (file: string) => Promise<Buffer>;
  /** Today, for which month folders are live (tests set it); default the system clock. Stability uses the system clock. */
  today?: () => Date;
}

interface Sidecar {
  computer?: string;
  user?: string;
  branch?: string;
  series?: string;
  number?: string;
}

const FIELDS = ['computer', 'user', 'branch'] as const;
const SIDECAR_FIELDS = ['computer', 'user', 'branch', 'series', 'number'] as const;
/** A sidecar holds five short strings; anything bigger is not one. */
const MAX_SIDECAR_BYTES = 64 * 1024;
const DEFAULT_RETRY_MS = 30_000;

const withoutExtension = (p: string): string => p.replace(/\.(xml|json)$/i, '');

function isNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Reads {computer}/{user}/{branch} from a path relative to the export folder. */
export function matchPathPattern(pattern: string, relativePath: string): Partial<Record<(typeof FIELDS)[number], string>> {
  const pat = pattern.split('/').filter(Boolean);
  const segs = relativePath.split(/[\\/]/).filter(Boolean);
  const out: Partial<Record<(typeof FIELDS)[number], string>> = {};
  // Align from the end: the file name matches the last pattern segment.
  const offset = segs.length - pat.length;
  if (offset < 0) return out;
  pat.forEach((p, i) => {
    const m = /^\{(computer|user|branch)\}$/.exec(p);
    if (m) out[m[1] as (typeof FIELDS)[number]] = segs[offset + i]!;
  });
  return out;
}

interface SidecarRead {
  /** Identifies the sidecar's state (absent, or path + size + mtime): part of a file's "unchanged" key. */
  signature: string;
  values: Sidecar;
  /** The sidecar exists but cannot be used: the XML is not taken with guessed metadata. */
  error?: EfactError;
}

/** Parses a sidecar's bytes: a JSON object whose fields are strings (numbers accepted for series / number). */
export function parseSidecar(name: string, bytes: Uint8Array): { values: Sidecar } | { error: EfactError } {
  const invalid = (why: string): { error: EfactError } => ({
    error: new EfactError('INVALID_REQUEST', `sidecar ${name} ${why}`, { details: { sidecar: name } }),
  });
  if (bytes.byteLength > MAX_SIDECAR_BYTES) return invalid(`is ${bytes.byteLength} bytes; the limit is ${MAX_SIDECAR_BYTES}`);
  let raw: unknown;
  try {
    // Windows tools often write UTF-8 with a byte order mark, which JSON.parse refuses.
    raw = JSON.parse(Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    return invalid(`is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return invalid('must hold a JSON object');
  const obj = raw as Record<string, unknown>;
  const values: Sidecar = {};
  for (const k of SIDECAR_FIELDS) {
    const v = obj[k];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string') values[k] = v.trim();
    else if (typeof v === 'number' && Number.isFinite(v) && (k === 'series' || k === 'number')) values[k] = String(v);
    else return invalid(`field "${k}" must be a string`);
  }
  return { values };
}

async function readSidecar(xmlFile: string): Promise<SidecarRead> {
  const base = withoutExtension(xmlFile);
  for (const candidate of [`${base}.json`, `${base}.JSON`]) {
    let bytes: Buffer;
    let signature: string;
    try {
      const st = await stat(candidate);
      if (!st.isFile()) continue;
      signature = `${candidate}|${st.size}|${st.mtimeMs}`;
      if (st.size > MAX_SIDECAR_BYTES) {
        const name = path.basename(candidate);
        const error = new EfactError('INVALID_REQUEST', `sidecar ${name} is ${st.size} bytes; the limit is ${MAX_SIDECAR_BYTES}`, {
          details: { sidecar: name },
        });
        return { signature, values: {}, error };
      }
      bytes = await readFile(candidate);
    } catch (e) {
      if (isNotFound(e)) continue;
      throw e; // locked or unreadable for now: tried again later
    }
    const parsed = parseSidecar(path.basename(candidate), bytes);
    return 'error' in parsed ? { signature, values: {}, error: parsed.error } : { signature, values: parsed.values };
  }
  return { signature: 'none', values: {} };
}

const DEFAULT_SCAN_MS = 60_000;
const DEFAULT_POLL_MS = 200;
const DEFAULT_FULL_SCAN_MS = 60 * 60_000;
/** Deeper than any export layout; stops a symlink loop or a runaway tree. */
const MAX_DEPTH = 12;

/** Posix-style relative path (the index's key) from a folder and a name. */
const joinRel = (dir: string, name: string): string => (dir === '' ? name : `${dir}/${name}`);
const dirOfRel = (rel: string): string => {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
};
const nameOfRel = (rel: string): string => rel.slice(rel.lastIndexOf('/') + 1);

/** What a walk remembers of a folder: its mtime when listed, and what was in it. */
interface DirState {
  mtimeMs: number;
  subdirs: string[];
  /** Invoice file names (not sidecars). */
  files: Set<string>;
}

/** A file seen changing: taken once it has looked the same for stableMs. */
interface Candidate {
  size: number;
  mtimeMs: number;
  since: number;
}

class MemoryFolderIndex implements FolderIndex {
  private readonly entries = new Map<string, FolderFileEntry>();
  async load(): Promise<FolderFileEntry[]> {
    return [...this.entries.values()];
  }
  async put(entry: FolderFileEntry): Promise<void> {
    this.entries.set(entry.path, { ...entry });
  }
  async remove(p: string): Promise<void> {
    this.entries.delete(p);
  }
}

export interface ScanStats {
  foldersListed: number;
  foldersSkipped: number;
  filesStatted: number;
  ms: number;
}

/** The sidecar's state (path, size, mtime), or "none": stat only, for telling whether it changed. */
async function sidecarSignature(xmlFile: string): Promise<string> {
  const base = withoutExtension(xmlFile);
  for (const candidate of [`${base}.json`, `${base}.JSON`]) {
    try {
      const st = await stat(candidate);
      if (st.isFile()) return `${candidate}|${st.size}|${st.mtimeMs}`;
    } catch (e) {
      if (!isNotFound(e)) return 'unreadable';
    }
  }
  return 'none';
}

/** Files looked at or read at once: a first walk over 100 000 new files must not open them all together. */
const MAX_CONCURRENT_JOBS = 8;
/** File-system errors that say the file itself cannot be read (as opposed to the store being busy). */
const UNREADABLE_CODES = new Set(['EACCES', 'EPERM', 'EIO', 'EISDIR', 'EINVAL']);
const MAX_UNREADABLE_TRIES = 3;
/** Files stat-ed at once by a walk. */
const STAT_BATCH = 64;

export class FolderIntake {
  private stopped = false;
  private readonly index: FolderIndex;
  private readonly known = new Map<string, FolderFileEntry>();
  /** The known entries that were refused (few): what a changed sidecar may bring back. */
  private readonly refused = new Set<string>();
  private readonly dirs = new Map<string, DirState>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly candidates = new Map<string, Candidate>();
  private readonly candidateTimers = new Map<string, NodeJS.Timeout>();
  /** Files whose rejection has been reported by this process (log + rejections list). */
  private reported = new Map<string, string>();
  /** Files that failed for a passing reason, with the state they were logged in (logged once per state). */
  private failing = new Map<string, string>();
  /** Files the file system refuses to read, with how many times in the same state. */
  private unreadableTries = new Map<string, { key: string; n: number }>();
  private retryTimers = new Map<string, NodeJS.Timeout>();
  /** Per file, the last queued job: jobs of one file run one after another. */
  private chains = new Map<string, Promise<void>>();
  private pending = new Set<Promise<void>>();
  private scanTimer: NodeJS.Timeout | null = null;
  private scanning: Promise<ScanStats> | null = null;
  private rescanRequested = false;
  private lastFullScan = 0;
  private readonly now: () => number = Date.now;
  private readonly today: () => Date;
  /** Figures of the last reconciliation walk (bench, diagnostics). */
  lastScan: ScanStats | null = null;

  constructor(private readonly options: FolderIntakeOptions) {
    this.index = options.index ?? new MemoryFolderIndex();
    this.today = options.today ?? (() => new Date());
  }

  private get stableMs(): number {
    return this.options.stableMs ?? 500;
  }

  private get scanIntervalMs(): number {
    return this.options.scanIntervalMs ?? (this.options.usePolling ? DEFAULT_POLL_MS : DEFAULT_SCAN_MS);
  }

  async start(): Promise<void> {
    this.stopped = false;
    for (const e of await this.index.load()) {
      this.known.set(e.path, e);
      if (e.outcome === 'rejected') this.refused.add(e.path);
    }
    for (const rel of this.known.keys()) this.dirFiles(dirOfRel(rel)).add(nameOfRel(rel));
    // The first walk stats every file (nothing is cached yet) and re-reads only changed ones.
    await this.scan(true);
    this.armScan();
  }

  /** Waits until every file seen so far has been handled (tests, shutdown). Scheduled retries are not waited for. */
  async settle(): Promise<void> {
    while (this.pending.size > 0 || this.scanning || this.candidateTimers.size > 0) {
      if (this.scanning) await this.scanning;
      await Promise.all([...this.pending]);
      // Files waiting to look stable are looked at again within stableMs.
      if (this.candidateTimers.size > 0 && this.pending.size === 0 && !this.scanning) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(10, this.stableMs / 2)));
      }
    }
  }

  /** Walk now (the month selection changed, a person asked): returns when the walk is done. */
  async refresh(full = false): Promise<ScanStats> {
    return this.scan(full);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.scanTimer) clearTimeout(this.scanTimer);
    this.scanTimer = null;
    for (const t of [...this.retryTimers.values(), ...this.candidateTimers.values()]) clearTimeout(t);
    this.retryTimers.clear();
    this.candidateTimers.clear();
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    await this.settle();
  }

  private armScan(): void {
    if (this.stopped) return;
    this.scanTimer = setTimeout(() => {
      const full = this.now() - this.lastFullScan >= (this.options.fullScanMs ?? DEFAULT_FULL_SCAN_MS);
      void this.scan(full)
        .catch((e: unknown) => this.options.log.warn({ folder: this.options.folder, err: String(e) }, 'export folder scan failed'))
        .finally(() => this.armScan());
    }, this.scanIntervalMs);
    this.scanTimer.unref();
  }

  private abs(rel: string): string {
    return rel === '' ? this.options.folder : path.join(this.options.folder, ...rel.split('/'));
  }

  private dirFiles(relDir: string): Set<string> {
    let d = this.dirs.get(relDir);
    if (!d) {
      d = { mtimeMs: -1, subdirs: [], files: new Set() };
      this.dirs.set(relDir, d);
    }
    return d.files;
  }

  private selectedMonths(): Set<string> | null {
    const m = this.options.months?.() ?? null;
    return m && m.length > 0 ? new Set(m) : null;
  }

  /** Whether files at this relative path are taken under the month selection. */
  private monthAllowed(rel: string, selected = this.selectedMonths()): boolean {
    if (selected === null) return true;
    const month = monthOfPath(rel);
    return month !== null && selected.has(month);
  }

  /** Folders whose files are stat'ed on every walk: outside month folders, this and last month, selected months. */
  private isLive(relDir: string, selected: Set<string> | null): boolean {
    const month = monthOfPath(relDir);
    if (month === null) return true;
    const current = monthOf(this.today());
    return month === current || month === previousMonth(current) || (selected?.has(month) ?? false);
  }

  /** One reconciliation walk; walks never overlap (a request during one runs one more after it). */
  private scan(full: boolean): Promise<ScanStats> {
    if (this.scanning) {
      this.rescanRequested = true;
      return this.scanning;
    }
    const run = (async (): Promise<ScanStats> => {
      let stats: ScanStats;
      do {
        this.rescanRequested = false;
        const started = performance.now();
        stats = { foldersListed: 0, foldersSkipped: 0, filesStatted: 0, ms: 0 };
        if (full) this.lastFullScan = this.now();
        await this.walk('', 0, full, this.selectedMonths(), stats);
        stats.ms = performance.now() - started;
        full = false;
      } while (this.rescanRequested && !this.stopped);
      this.lastScan = stats;
      return stats;
    })();
    this.scanning = run;
    void run.finally(() => {
      if (this.scanning === run) this.scanning = null;
    }).catch(() => {});
    return run;
  }

  private async walk(relDir: string, depth: number, full: boolean, selected: Set<string> | null, stats: ScanStats): Promise<void> {
    if (this.stopped || depth > MAX_DEPTH) return;
    const ownMonth = monthOfFolderName(nameOfRel(relDir));
    if (ownMonth !== null && selected !== null && !selected.has(ownMonth)) {
      // Not a selected month: not walked, not watched.
      this.unwatch(relDir);
      return;
    }
    let st: Stats;
    try {
      st = await stat(this.abs(relDir));
    } catch (e) {
      if (isNotFound(e)) this.dropDir(relDir);
      return;
    }
    if (!st.isDirectory()) return;
    this.watchDir(relDir);
    const cached = this.dirs.get(relDir);
    const changed = cached === undefined || cached.mtimeMs !== st.mtimeMs;
    let state: DirState;
    if (changed) {
      state = await this.list(relDir, st.mtimeMs);
      stats.foldersListed += 1;
    } else {
      state = cached;
      stats.foldersSkipped += 1;
    }
    if (full || changed || this.isLive(relDir, selected)) {
      // Stat in batches here; only a file that differs from the index becomes a job of its own
      // (a restart over 100 000 unchanged files creates no per-file work).
      const names = [...state.files].filter((name) => this.monthAllowed(joinRel(relDir, name), selected));
      for (let i = 0; i < names.length && !this.stopped; i += STAT_BATCH) {
        await Promise.all(
          names.slice(i, i + STAT_BATCH).map(async (name) => {
            const rel = joinRel(relDir, name);
            stats.filesStatted += 1;
            const known = this.known.get(rel);
            if (known?.outcome === 'taken' && !this.candidates.has(rel)) {
              const st = await stat(this.abs(rel)).catch(() => null);
              if (st && st.isFile() && st.size === known.size && st.mtimeMs === known.mtimeMs) return;
            }
            void this.schedule(rel, () => this.look(rel));
          }),
        );
      }
    }
    for (const sub of state.subdirs) await this.walk(joinRel(relDir, sub), depth + 1, full, selected, stats);
  }

  /** Lists a folder; files that were known and are gone are forgotten. */
  private async list(relDir: string, mtimeMs: number): Promise<DirState> {
    const previous = this.dirs.get(relDir);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(this.abs(relDir), { withFileTypes: true });
    } catch (e) {
      if (isNotFound(e)) this.dropDir(relDir);
      return { mtimeMs: -1, subdirs: [], files: new Set() };
    }
    const state: DirState = { mtimeMs, subdirs: [], files: new Set() };
    for (const d of entries) {
      if (isTemporaryName(d.name)) continue;
      if (d.isDirectory()) state.subdirs.push(d.name);
      else if (d.isFile() && isInvoiceFileName(d.name)) state.files.add(d.name);
    }
    for (const name of previous?.files ?? []) {
      if (!state.files.has(name)) this.forget(joinRel(relDir, name));
    }
    for (const sub of previous?.subdirs ?? []) {
      if (!state.subdirs.includes(sub)) this.dropDir(joinRel(relDir, sub));
    }
    this.dirs.set(relDir, state);
    return state;
  }

  private dropDir(relDir: string): void {
    const prefix = relDir === '' ? '' : `${relDir}/`;
    for (const rel of [...this.known.keys(), ...this.reported.keys(), ...this.candidates.keys()]) {
      if (rel.startsWith(prefix)) this.forget(rel);
    }
    for (const d of [...this.dirs.keys()]) {
      if (d === relDir || d.startsWith(prefix)) {
        this.dirs.delete(d);
        this.unwatch(d);
      }
    }
  }

  private watchDir(relDir: string): void {
    if (this.options.usePolling || this.stopped || this.watchers.has(relDir)) return;
    try {
      const w = fsWatch(this.abs(relDir), { persistent: false }, (_event, filename) => this.onEvent(relDir, filename));
      w.on('error', () => this.unwatch(relDir));
      this.watchers.set(relDir, w);
    } catch (e) {
      // Too many watches, or the folder went away: the walks still find everything, only later.
      this.options.log.debug({ folder: this.abs(relDir), err: String(e) }, 'export folder not watched; relying on scans');
    }
  }

  private unwatch(relDir: string): void {
    const w = this.watchers.get(relDir);
    if (w) {
      w.close();
      this.watchers.delete(relDir);
    }
  }

  /** The fast path: an event names something in a watched folder; look at it. */
  private onEvent(relDir: string, filename: string | Buffer | null): void {
    if (this.stopped) return;
    if (filename === null) {
      void this.scan(false);
      return;
    }
    const name = filename.toString();
    if (isTemporaryName(name)) return;
    const rel = joinRel(relDir, name);
    if (isInvoiceFileName(name)) {
      this.schedule(rel, () => this.look(rel));
    } else if (isSidecarName(name)) {
      this.sidecarChanged(rel);
    } else if (!name.includes('.') || monthOfFolderName(name) !== null) {
      // Maybe a new sub-folder (a new month): walk it.
      void stat(this.abs(rel))
        .then((st) => {
          if (st.isDirectory()) return this.scan(false).then(() => undefined);
          return undefined;
        })
        .catch(() => {
          if (this.dirs.has(rel)) this.dropDir(rel);
        });
    }
  }

  private active = 0;
  private waiting: Array<() => void> = [];

  private async slot(job: () => Promise<void>): Promise<void> {
    if (this.active >= MAX_CONCURRENT_JOBS) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      if (!this.stopped) await job();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }

  private schedule(rel: string, job: () => Promise<void>): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const previous = this.chains.get(rel) ?? Promise.resolve();
    const next = previous.then(() => this.slot(job)).catch((e: unknown) => {
      this.options.log.error({ file: rel, err: String(e) }, 'export folder intake failed unexpectedly');
    });
    this.chains.set(rel, next);
    this.pending.add(next);
    void next.finally(() => {
      this.pending.delete(next);
      if (this.chains.get(rel) === next) this.chains.delete(rel);
    });
    return next;
  }

  /** A sidecar appeared or changed: its XML, if it was refused, is looked at again. */
  private sidecarChanged(sidecarRel: string): void {
    // Efact's own answers beside an invoice are not sidecars; and only refused files care.
    if (/\.status\.json$/i.test(sidecarRel)) return;
    const base = withoutExtension(sidecarRel);
    for (const rel of this.refused) {
      if (withoutExtension(rel) === base) this.schedule(rel, () => this.look(rel));
    }
    for (const rel of this.reported.keys()) {
      if (!this.known.has(rel) && withoutExtension(rel) === base) this.schedule(rel, () => this.look(rel));
    }
  }

  /** The file is gone: nothing to report about it any more. */
  private forget(rel: string): void {
    if (this.known.delete(rel)) void this.index.remove(rel).catch(() => {});
    if (this.refused.delete(rel) || this.reported.has(rel)) this.options.onRefusalResolved?.(rel);
    this.dirs.get(dirOfRel(rel))?.files.delete(nameOfRel(rel));
    this.reported.delete(rel);
    this.failing.delete(rel);
    this.candidates.delete(rel);
    for (const timers of [this.retryTimers, this.candidateTimers]) {
      const t = timers.get(rel);
      if (t !== undefined) clearTimeout(t);
      timers.delete(rel);
    }
    this.options.rejections?.resolve(this.options.companyCif, rel);
  }

  /**
   * Looks at one file (from a walk or an event): unchanged → nothing (a refusal is shown again
   * after a restart); changed → taken once it has looked the same for stableMs.
   */
  private async look(rel: string): Promise<void> {
    if (this.stopped || !this.monthAllowed(rel)) return;
    let st: Stats;
    try {
      st = await stat(this.abs(rel));
    } catch (e) {
      if (isNotFound(e)) this.forget(rel);
      return;
    }
    if (!st.isFile()) return;
    this.dirFiles(dirOfRel(rel)).add(nameOfRel(rel));
    const known = this.known.get(rel);
    if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) {
      if (known.outcome === 'taken') return;
      // Refused before: tried again only if its sidecar changed since.
      const sidecar = await sidecarSignature(this.abs(rel));
      if (sidecar === known.sidecar) {
        this.reportAgain(rel, known);
        return;
      }
    }
    if (this.retryTimers.has(rel)) return; // a passing failure: its retry timer will look
    const now = this.now();
    const cand = this.candidates.get(rel);
    const same = cand !== undefined && cand.size === st.size && cand.mtimeMs === st.mtimeMs;
    // Unchanged for stableMs: by the candidate's record, or — first sight — by the mtime itself.
    const stable = same ? now - cand.since >= this.stableMs : now - st.mtimeMs >= this.stableMs;
    if (!stable) {
      if (!same) this.candidates.set(rel, { size: st.size, mtimeMs: st.mtimeMs, since: now });
      this.recheckLater(rel);
      return;
    }
    this.candidates.delete(rel);
    await this.take(rel, st);
  }

  private recheckLater(rel: string): void {
    if (this.stopped || this.candidateTimers.has(rel)) return;
    const t = setTimeout(() => {
      this.candidateTimers.delete(rel);
      void this.schedule(rel, () => this.look(rel));
    }, this.stableMs);
    t.unref();
    this.candidateTimers.set(rel, t);
  }

  /** After a restart the in-memory rejections list is empty: a file still refused is shown again (not logged again). */
  private reportAgain(rel: string, entry: FolderFileEntry): void {
    const key = `${entry.size}|${entry.mtimeMs}|${entry.sidecar}`;
    if (this.reported.get(rel) === key) return;
    this.reported.set(rel, key);
    this.options.rejections?.record({
      companyCif: this.options.companyCif,
      file: rel,
      code: entry.code ?? 'EFACT_ERR_INVALID_REQUEST',
      message: entry.message ?? 'not accepted',
      at: new Date(this.now()),
    });
    this.options.onRefused?.(rel, entry.code ?? 'EFACT_ERR_INVALID_REQUEST', entry.message ?? 'not accepted');
  }

  private async take(rel: string, st: Stats): Promise<void> {
    const { intake, companyCif, pathPattern, log } = this.options;
    const file = this.abs(rel);
    const timer = this.retryTimers.get(rel);
    if (timer !== undefined) clearTimeout(timer);
    this.retryTimers.delete(rel);
    let key = `${st.size}|${st.mtimeMs}`;
    let sidecarSig = 'none';
    let hash = '';
    try {
      const sidecar = await readSidecar(file);
      sidecarSig = sidecar.signature;
      key = `${st.size}|${st.mtimeMs}|${sidecar.signature}`;
      if (sidecar.error) throw sidecar.error;
      if (st.size > intake.maxBytes) {
        throw new EfactError('TOO_LARGE', `XML is ${st.size} bytes; the limit is ${intake.maxBytes} bytes`, {
          details: { size: st.size, limit: intake.maxBytes },
        });
      }
      const xml = await (this.options.readFile ?? readFile)(file);
      const after = await stat(file);
      if (after.size !== st.size || after.mtimeMs !== st.mtimeMs || xml.byteLength !== st.size) {
        // Still being written: looked at again once it is stable.
        this.candidates.set(rel, { size: after.size, mtimeMs: after.mtimeMs, since: this.now() });
        this.recheckLater(rel);
        return;
      }
      hash = sha256Hex(xml);
      const known = this.known.get(rel);
      if (known && known.hash === hash && known.sidecar === sidecarSig) {
        // Same bytes under a new mtime (touched, copied back): nothing to take again.
        await this.remember({ ...known, size: st.size, mtimeMs: st.mtimeMs });
        if (known.outcome === 'rejected') this.reportAgain(rel, this.known.get(rel)!);
        return;
      }
      const fromPath = pathPattern ? matchPathPattern(pathPattern, rel) : {};
      const values = sidecar.values;
      const origin: InvoiceOrigin = {
        channel: 'folder',
        sourcePath: file,
        computer: values.computer ?? fromPath.computer ?? os.hostname(),
        user: values.user ?? fromPath.user ?? null,
        branch: values.branch ?? fromPath.branch ?? null,
      };
      const outcome = await intake.submit({
        companyCif,
        xml,
        origin,
        ...(values.series !== undefined ? { series: values.series } : {}),
        ...(values.number !== undefined ? { number: values.number } : {}),
      });
      await this.remember({
        path: rel,
        size: st.size,
        mtimeMs: st.mtimeMs,
        hash,
        outcome: 'taken',
        invoiceId: outcome.invoice.id,
        code: null,
        message: null,
        sidecar: sidecarSig,
      });
      const wasRefused = this.reported.delete(rel);
      this.failing.delete(rel);
      this.options.rejections?.resolve(companyCif, rel);
      if (wasRefused) this.options.onRefusalResolved?.(rel);
      if (outcome.kind === 'duplicate') {
        log.debug({ file: rel, invoice: outcome.invoice.invoiceId, id: outcome.invoice.id }, 'file in the export folder is already known');
      } else {
        log.info({ file: rel, invoice: outcome.invoice.invoiceId, outcome: outcome.kind }, 'invoice taken from the export folder');
        this.options.onAccepted?.();
      }
    } catch (e) {
      if (isNotFound(e)) {
        // Removed (or renamed) between the look and the read: its own events follow.
        this.forget(rel);
        return;
      }
      let err = asEfactError(e);
      // The file itself cannot be read (no permission, I/O error): tried a few times — a lock
      // passes — then reported once like a bad file, and tried again only when it changes.
      const fsCode = (e as { code?: unknown; syscall?: unknown } | null)?.syscall !== undefined ? (e as { code?: unknown }).code : undefined;
      if (typeof fsCode === 'string' && UNREADABLE_CODES.has(fsCode)) {
        const tries = this.unreadableTries.get(rel);
        const n = tries?.key === key ? tries.n + 1 : 1;
        this.unreadableTries.set(rel, { key, n });
        if (n >= MAX_UNREADABLE_TRIES) {
          this.unreadableTries.delete(rel);
          err = new EfactError('INVALID_REQUEST', `file cannot be read (${fsCode}) after ${n} tries: ${err.message}`, { details: { code: fsCode } });
        }
      }
      if (err.kind === 'invalid-input') {
        this.failing.delete(rel);
        await this.remember({
          path: rel,
          size: st.size,
          mtimeMs: st.mtimeMs,
          hash,
          outcome: 'rejected',
          invoiceId: null,
          code: err.publicCode,
          message: err.message,
          sidecar: sidecarSig,
        }).catch(() => {});
        if (this.reported.get(rel) === key) return;
        this.reported.set(rel, key);
        log.warn({ file: rel, code: err.publicCode, message: err.message }, 'file in the export folder was not accepted');
        this.options.rejections?.record({ companyCif, file: rel, code: err.publicCode, message: err.message, at: new Date(this.now()) });
        this.options.onRefused?.(rel, err.publicCode, err.message);
      } else {
        // Locked by the ERP, store busy, disk error: not the file's fault, so it is tried again.
        // A correction waiting for ANAF's answer on the earlier file is looked at again soon, so
        // it replaces a NOK about as fast as the engine learns of it.
        const base = this.options.retryMs ?? DEFAULT_RETRY_MS;
        const retryMs = err.code === 'AWAITING_VERDICT' ? Math.min(base, VERDICT_RECHECK_MS) : base;
        if (this.failing.get(rel) !== key) {
          this.failing.set(rel, key);
          log.warn({ file: rel, code: err.publicCode, message: err.message, retryInMs: retryMs }, 'file in the export folder could not be taken yet; trying again');
          this.options.rejections?.record({ companyCif, file: rel, code: err.publicCode, message: err.message, at: new Date(this.now()), retrying: true });
        }
        if (!this.stopped) {
          const t = setTimeout(() => {
            this.retryTimers.delete(rel);
            void this.schedule(rel, () => this.look(rel));
          }, retryMs);
          t.unref();
          this.retryTimers.set(rel, t);
        }
      }
    }
  }

  private async remember(entry: FolderFileEntry): Promise<void> {
    this.known.set(entry.path, entry);
    if (entry.outcome === 'rejected') this.refused.add(entry.path);
    else this.refused.delete(entry.path);
    this.dirFiles(dirOfRel(entry.path)).add(nameOfRel(entry.path));
    await this.index.put(entry);
  }
}
