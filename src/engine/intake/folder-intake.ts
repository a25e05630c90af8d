/**
 * The ERP's export folder as an intake channel: every *.xml / *.XML file dropped there (in any
 * sub-folder, e.g. the manuals' Efact2021_12/Fact/Fact1.XML) is submitted once it has stopped
 * growing. Computer / user / branch come from an optional sidecar `<file>.json` or from the
 * company's path pattern such as "{branch}/{user}/*.xml".
 *
 * A file that cannot be taken is logged once and recorded in the company's intake rejections
 * (when given) so a person sees it; it is not tried again until it (or its sidecar) changes.
 * A failure that may pass by itself (file locked, store busy) is tried again after `retryMs`.
 */
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { EfactError, asEfactError } from '../../domain/errors.js';
import type { InvoiceOrigin } from '../../domain/invoice.js';
import type { IntakeService } from './intake-service.js';
import type { IntakeRejections } from './intake-rejections.js';
import type { EngineLogger } from '../context.js';

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

const isXml = (p: string): boolean => /\.xml$/i.test(p);
const isJson = (p: string): boolean => /\.json$/i.test(p);
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

export class FolderIntake {
  private watcher: FSWatcher | null = null;
  private stopped = false;
  /** Files reported as unusable, with the state (size, mtime, sidecar) they were reported in: reported once, not retried while unchanged. */
  private reported = new Map<string, string>();
  /** Files that failed for a passing reason, with the state they were logged in (logged once per state). */
  private failing = new Map<string, string>();
  private retryTimers = new Map<string, NodeJS.Timeout>();
  /** Per file, the last queued take: takes of one file run one after another. */
  private chains = new Map<string, Promise<void>>();
  private pending = new Set<Promise<void>>();

  constructor(private readonly options: FolderIntakeOptions) {}

  async start(): Promise<void> {
    const { folder, stableMs = 500, usePolling = false } = this.options;
    this.stopped = false;
    this.watcher = watch(folder, {
      ignoreInitial: false,
      usePolling,
      interval: 200,
      awaitWriteFinish: { stabilityThreshold: stableMs, pollInterval: Math.min(100, stableMs) },
      // Sidecars are watched too: a fixed sidecar brings its rejected XML back.
      ignored: (p, stats) => stats?.isFile() === true && !isXml(p) && !isJson(p),
    });
    const onFile = (file: string): void => {
      if (isXml(file)) this.schedule(file);
      else if (isJson(file)) this.sidecarChanged(file);
    };
    this.watcher.on('add', onFile).on('change', onFile);
    this.watcher.on('unlink', (file) => {
      if (isXml(file)) this.forget(file);
    });
    this.watcher.on('error', (e) => this.options.log.warn({ folder, err: String(e) }, 'export folder watch error'));
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
  }

  /** Waits until every file seen so far has been handled (tests, shutdown). Scheduled retries are not waited for. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.retryTimers.values()) clearTimeout(t);
    this.retryTimers.clear();
    await this.watcher?.close();
    await this.settle();
  }

  private relative(file: string): string {
    return path.relative(this.options.folder, file);
  }

  private schedule(file: string): void {
    if (this.stopped) return;
    const previous = this.chains.get(file) ?? Promise.resolve();
    const job = previous.then(() => this.take(file)).catch((e: unknown) => {
      this.options.log.error({ file, err: String(e) }, 'export folder intake failed unexpectedly');
    });
    this.chains.set(file, job);
    this.pending.add(job);
    void job.finally(() => {
      this.pending.delete(job);
      if (this.chains.get(file) === job) this.chains.delete(file);
    });
  }

  /** A sidecar appeared or changed: its XML, if it was reported, is looked at again. */
  private sidecarChanged(sidecar: string): void {
    const base = withoutExtension(sidecar);
    for (const file of [...this.reported.keys()]) {
      if (withoutExtension(file) === base) this.schedule(file);
    }
  }

  /** The file is gone: nothing to report about it any more. */
  private forget(file: string): void {
    this.reported.delete(file);
    this.failing.delete(file);
    const timer = this.retryTimers.get(file);
    if (timer !== undefined) clearTimeout(timer);
    this.retryTimers.delete(file);
    this.options.rejections?.resolve(this.options.companyCif, this.relative(file));
  }

  private async take(file: string): Promise<void> {
    if (this.stopped || !isXml(file)) return;
    const { intake, companyCif, pathPattern, log } = this.options;
    const relative = this.relative(file);
    const timer = this.retryTimers.get(file);
    if (timer !== undefined) clearTimeout(timer);
    this.retryTimers.delete(file);
    let key = file;
    try {
      const st = await stat(file);
      if (!st.isFile()) return;
      const sidecar = await readSidecar(file);
      key = `${st.size}|${st.mtimeMs}|${sidecar.signature}`;
      if (this.reported.get(file) === key) return;
      if (sidecar.error) throw sidecar.error;
      if (st.size > intake.maxBytes) {
        throw new EfactError('TOO_LARGE', `XML is ${st.size} bytes; the limit is ${intake.maxBytes} bytes`, {
          details: { size: st.size, limit: intake.maxBytes },
        });
      }
      const xml = await readFile(file);
      const fromPath = pathPattern ? matchPathPattern(pathPattern, relative) : {};
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
      this.reported.delete(file);
      this.failing.delete(file);
      this.options.rejections?.resolve(companyCif, relative);
      if (outcome.kind === 'duplicate') {
        log.debug({ file: relative, invoice: outcome.invoice.invoiceId, id: outcome.invoice.id }, 'file in the export folder is already known');
      } else {
        log.info({ file: relative, invoice: outcome.invoice.invoiceId, outcome: outcome.kind }, 'invoice taken from the export folder');
        this.options.onAccepted?.();
      }
    } catch (e) {
      if (isNotFound(e)) {
        // Removed (or renamed) between the event and the read: its own events follow.
        this.forget(file);
        return;
      }
      const err = asEfactError(e);
      if (err.kind === 'invalid-input') {
        this.failing.delete(file);
        if (this.reported.get(file) === key) return;
        this.reported.set(file, key);
        log.warn({ file, code: err.publicCode, message: err.message }, 'file in the export folder was not accepted');
        this.options.rejections?.record({ companyCif, file: relative, code: err.publicCode, message: err.message, at: new Date() });
      } else {
        // Locked by the ERP, store busy, disk error: not the file's fault, so it is tried again.
        const retryMs = this.options.retryMs ?? DEFAULT_RETRY_MS;
        if (this.failing.get(file) !== key) {
          this.failing.set(file, key);
          log.warn({ file, code: err.publicCode, message: err.message, retryInMs: retryMs }, 'file in the export folder could not be taken yet; trying again');
          this.options.rejections?.record({ companyCif, file: relative, code: err.publicCode, message: err.message, at: new Date(), retrying: true });
        }
        if (!this.stopped) {
          const t = setTimeout(() => {
            this.retryTimers.delete(file);
            this.schedule(file);
          }, retryMs);
          t.unref();
          this.retryTimers.set(file, t);
        }
      }
    }
  }
}
