/**
 * Answers written back beside the invoice in the ERP's export folder, for ERPs that speak only
 * through folders (the WMEfact manual: a NOK gets a text file with ANAF's errors in the export
 * folder; a downloaded invoice gets an archive named by its download id).
 *
 * A subscriber beside the engine, never in its way: it reads from the store which invoices of a
 * folder changed since they were last written back (migration 0006 keeps, per invoice, the
 * `updatedAt` written), writes what that state calls for, and records it. Everything is
 * idempotent and driven by the store, so a crash or a restart simply catches up. A write that
 * fails (read-only folder, a file of the ERP's in the way, disk full) is recorded with its
 * reason — shown by `efact status` and the API — and tried again after `retryMs`; the invoice's
 * lifecycle never waits for it.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Invoice } from '../../domain/invoice.js';
import type { Archive } from '../../ports/archive.js';
import type { Clock } from '../../ports/clock.js';
import type { ErpFolderStore } from '../../ports/erp-folder.js';
import type { EngineLogger } from '../context.js';
import { fsFolderWriter, removeOwnFile, writeExactFile, writeOwnFile, type FolderWriter } from './atomic-file.js';
import { answerNames, ERRORS_MARK, errorsText, hasErrorsFile, noLocalFindings, STATUS_MARK, statusDocument, statusJson, type LocalFindingsSource } from './answers.js';

export interface WriteBackCompany {
  companyId: number;
  cif: string;
  /** Absolute export folder: nothing is ever written outside it. */
  folder: string;
}

export interface ErpWriteBackOptions {
  erp: ErpFolderStore;
  archive: Archive;
  clock: Clock;
  log: EngineLogger;
  /** Companies answered from the start; more join and leave with `addCompany` / `removeCompany`. */
  companies?: WriteBackCompany[];
  /** How often the store is asked what changed (default 1 s); `wake()` looks at once. */
  intervalMs?: number;
  /** Wait before trying a failed write again (default 60 s). */
  retryMs?: number;
  writer?: FolderWriter;
  localFindings?: LocalFindingsSource;
  /** Invoices handled per company per pass. */
  batch?: number;
}

const DEFAULT_INTERVAL_MS = 1000;
const DEFAULT_RETRY_MS = 60_000;

function isNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export class ErpWriteBack {
  private readonly watermarks = new Map<number, number>();
  /** By company id: companies join and leave while Efact runs (added, folder changed, removed). */
  private readonly companies = new Map<number, WriteBackCompany>();
  private stopController = new AbortController();
  private wakeController = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly writer: FolderWriter;
  private readonly localFindings: LocalFindingsSource;

  constructor(private readonly options: ErpWriteBackOptions) {
    this.writer = options.writer ?? fsFolderWriter;
    this.localFindings = options.localFindings ?? noLocalFindings;
    for (const c of options.companies ?? []) this.companies.set(c.companyId, c);
  }

  /** Answers this company's invoices from now on (or in its new folder); caught up at the next pass. */
  addCompany(company: WriteBackCompany): void {
    this.companies.set(company.companyId, { ...company });
    this.wake();
  }

  /** No more answers for this company (removed, folder gone, write-back off). */
  removeCompany(companyId: number): void {
    this.companies.delete(companyId);
    this.watermarks.delete(companyId);
  }

  companyIds(): number[] {
    return [...this.companies.keys()];
  }

  start(): void {
    if (this.loop) return;
    this.stopController = new AbortController();
    this.loop = this.run(this.stopController.signal);
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loop;
    this.loop = null;
  }

  /** Something changed: look now. */
  wake(): void {
    this.wakeController.abort();
  }

  private async run(stop: AbortSignal): Promise<void> {
    const { clock, log } = this.options;
    while (!stop.aborted) {
      try {
        await this.pass();
      } catch (e) {
        log.warn({ err: String(e) }, 'ERP folder write-back pass failed');
      }
      if (stop.aborted) break;
      if (!this.wakeController.signal.aborted) {
        await clock.sleep(this.options.intervalMs ?? DEFAULT_INTERVAL_MS, AbortSignal.any([stop, this.wakeController.signal]));
      }
      if (this.wakeController.signal.aborted) this.wakeController = new AbortController();
    }
  }

  /** One look at every company: writes back what changed. Returns how many invoices were handled. */
  async pass(): Promise<number> {
    let handled = 0;
    for (const company of [...this.companies.values()]) {
      // One that left during the pass is not answered any more.
      if (this.companies.get(company.companyId) !== company) continue;
      handled += await this.passCompany(company);
    }
    return handled;
  }

  private async passCompany(company: WriteBackCompany): Promise<number> {
    const { erp, clock } = this.options;
    const batch = this.options.batch ?? 200;
    let handled = 0;
    for (;;) {
      const since = this.watermarks.get(company.companyId) ?? 0;
      const due = await erp.listWriteBackDue(company.companyId, new Date(since), clock.now(), batch);
      if (due.length === 0) break;
      let mark = since;
      for (const invoice of due) {
        await this.handle(company, invoice);
        mark = Math.max(mark, invoice.updatedAt.getTime());
      }
      handled += due.length;
      this.watermarks.set(company.companyId, mark);
      if (due.length < batch) break;
    }
    return handled;
  }

  private async handle(company: WriteBackCompany, invoice: Invoice): Promise<void> {
    const { erp, log, clock } = this.options;
    try {
      await this.writeFor(company, invoice);
      await erp.markWrittenBack(invoice);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const reason = `${typeof code === 'string' && code.startsWith('E') ? `${code}: ` : ''}${e instanceof Error ? e.message : String(e)}`;
      log.warn({ invoiceId: invoice.id, file: invoice.origin.sourcePath, err: reason }, 'writing the answer beside the invoice failed; trying again later');
      await erp.markWriteBackFailed(invoice, reason, new Date(clock.now().getTime() + (this.options.retryMs ?? DEFAULT_RETRY_MS)));
    }
  }

  private async writeFor(company: WriteBackCompany, invoice: Invoice): Promise<void> {
    const source = invoice.origin.sourcePath;
    if (source === null) return;
    const folder = path.resolve(company.folder);
    const resolved = path.resolve(source);
    // Only ever inside the company's own export folder.
    if (!resolved.startsWith(folder + path.sep)) return;
    const names = answerNames(resolved, invoice);
    const w = this.writer;

    let supersededBy: number | null = null;
    if (invoice.status === 'superseded') {
      const successor = await this.options.erp.findSuccessor(invoice.id);
      supersededBy = successor?.id ?? null;
      // The corrected file in the same place speaks for itself: its own state is written back.
      if (successor && successor.origin.sourcePath !== null && path.resolve(successor.origin.sourcePath) === resolved) return;
    }
    try {
      const localFindings = await this.localFindings(invoice);
      if (hasErrorsFile(invoice.status)) {
        await writeOwnFile(w, names.dir, names.errors, errorsText(invoice, names, localFindings), ERRORS_MARK);
      } else {
        await removeOwnFile(w, names.dir, names.errors, ERRORS_MARK);
      }
      if (invoice.status === 'downloaded' && names.zip !== null && invoice.archivePath !== null) {
        const zip = await this.options.archive.read(invoice.archivePath);
        await writeExactFile(w, names.dir, names.zip, zip);
      }
      const doc = statusDocument(invoice, names, { localFindings, supersededBy });
      await writeOwnFile(w, names.dir, names.status, statusJson(doc), STATUS_MARK);
    } catch (e) {
      if (isNotFound(e) && !(await this.folderExists(names.dir))) {
        // The ERP removed the folder: there is nobody to answer there, and Efact never recreates it.
        this.options.log.debug({ invoiceId: invoice.id, folder: names.dir }, 'invoice folder is gone; nothing written back');
        return;
      }
      throw e;
    }
  }

  private async folderExists(dir: string): Promise<boolean> {
    return stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
  }
}
