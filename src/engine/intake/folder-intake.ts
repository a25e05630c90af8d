/**
 * The ERP's export folder as an intake channel: every *.xml / *.XML file dropped there (in any
 * sub-folder, e.g. the manuals' Efact2021_12/Fact/Fact1.XML) is submitted once it has stopped
 * growing. Computer / user / branch come from an optional sidecar `<file>.json` or from the
 * company's path pattern such as "{branch}/{user}/*.xml".
 */
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { asEfactError } from '../../domain/errors.js';
import type { InvoiceOrigin } from '../../domain/invoice.js';
import type { IntakeService } from './intake-service.js';
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
}

interface Sidecar {
  computer?: string;
  user?: string;
  branch?: string;
  series?: string;
  number?: string;
}

const FIELDS = ['computer', 'user', 'branch'] as const;

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

async function readSidecar(file: string): Promise<Sidecar> {
  try {
    const raw = JSON.parse(await readFile(`${file.replace(/\.xml$/i, '')}.json`, 'utf8')) as Record<string, unknown>;
    const pick = (k: string): string | undefined => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
    const out: Sidecar = {};
    for (const k of ['computer', 'user', 'branch', 'series', 'number'] as const) {
      const v = pick(k);
      if (v !== undefined) out[k] = v;
    }
    return out;
  } catch {
    return {};
  }
}

export class FolderIntake {
  private watcher: FSWatcher | null = null;
  /** Files already reported as unusable, by path + size + mtime: reported once, not retried forever. */
  private reported = new Set<string>();
  private pending = new Set<Promise<void>>();

  constructor(private readonly options: FolderIntakeOptions) {}

  async start(): Promise<void> {
    const { folder, stableMs = 500, usePolling = false } = this.options;
    this.watcher = watch(folder, {
      ignoreInitial: false,
      usePolling,
      interval: 200,
      awaitWriteFinish: { stabilityThreshold: stableMs, pollInterval: Math.min(100, stableMs) },
      ignored: (p, stats) => stats?.isFile() === true && !/\.xml$/i.test(p),
    });
    const onFile = (file: string): void => {
      const job = this.take(file).finally(() => this.pending.delete(job));
      this.pending.add(job);
    };
    this.watcher.on('add', onFile).on('change', onFile);
    this.watcher.on('error', (e) => this.options.log.warn({ folder, err: String(e) }, 'export folder watch error'));
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
  }

  /** Waits until every file seen so far has been handled (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async stop(): Promise<void> {
    await this.watcher?.close();
    await this.settle();
  }

  private async take(file: string): Promise<void> {
    const { folder, intake, companyCif, pathPattern, log } = this.options;
    let key = file;
    try {
      const st = await stat(file);
      key = `${file}|${st.size}|${st.mtimeMs}`;
      if (this.reported.has(key)) return;
      const xml = await readFile(file);
      const relative = path.relative(folder, file);
      const sidecar = await readSidecar(file);
      const fromPath = pathPattern ? matchPathPattern(pathPattern, relative) : {};
      const origin: InvoiceOrigin = {
        channel: 'folder',
        sourcePath: file,
        computer: sidecar.computer ?? fromPath.computer ?? os.hostname(),
        user: sidecar.user ?? fromPath.user ?? null,
        branch: sidecar.branch ?? fromPath.branch ?? null,
      };
      const outcome = await intake.submit({
        companyCif,
        xml,
        origin,
        ...(sidecar.series !== undefined ? { series: sidecar.series } : {}),
        ...(sidecar.number !== undefined ? { number: sidecar.number } : {}),
      });
      if (outcome.kind !== 'duplicate') {
        log.info({ file: relative, invoice: outcome.invoice.invoiceId, outcome: outcome.kind }, 'invoice taken from the export folder');
        this.options.onAccepted?.();
      }
    } catch (e) {
      const err = asEfactError(e);
      this.reported.add(key);
      log.warn({ file, code: err.publicCode, message: err.message }, 'file in the export folder was not accepted');
    }
  }
}
