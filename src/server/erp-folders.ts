/**
 * The ERP-folder round trip put together for one instance: per company of the store with an
 * export folder, its folder intake (with the store's file index and the month selection) and,
 * where `writeBack` is on (the default with an export folder), the answers written back beside
 * the invoices. It follows the store: a company added at run time (`efact company add`, the API)
 * gets its folder watched and answered, a changed export folder is watched anew, a removed
 * company's folder is let go. Companies the configuration file lists take their settings from it
 * (pathPattern, months, writeBack); the others get the defaults. The API and the CLI reach month
 * selection and write-back errors through here.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { CompanyConfig } from '../config/types.js';
import type { Company } from '../domain/company.js';
import type { Archive } from '../ports/archive.js';
import type { Clock } from '../ports/clock.js';
import type { ErpFolderStore, WriteBackError } from '../ports/erp-folder.js';
import type { Store } from '../ports/store.js';
import type { EngineLogger } from '../engine/context.js';
import type { IntakeService } from '../engine/intake/intake-service.js';
import type { IntakeRejections } from '../engine/intake/intake-rejections.js';
import { FolderIntake } from '../engine/intake/folder-intake.js';
import { ErpMonths, type MonthsView } from '../engine/erp-folder/months.js';
import { ErpWriteBack } from '../engine/erp-folder/write-back.js';
import { fsFolderWriter, removeOwnFile, writeOwnFile, type FolderWriter } from '../engine/erp-folder/atomic-file.js';
import { answerNames, ERRORS_MARK, localFindingsFromMessages, refusalText, type LocalFindingsSource } from '../engine/erp-folder/answers.js';
import { erpFolderStoreOf } from '../adapters/store/erp-folders.js';
import { EfactError } from '../domain/errors.js';
import { normalizeCif } from '../domain/cif.js';

/** How often the store's companies are looked at again (like the engine's company rescan). */
export const COMPANY_RESCAN_MS = 5_000;

/** Knobs the configuration file does not carry (tests, benchmarks). */
export interface ErpFolderOverrides {
  stableMs?: number;
  usePolling?: boolean;
  scanIntervalMs?: number;
  writeBackIntervalMs?: number;
  writeBackRetryMs?: number;
  /** How often the store's companies (and the month choices) are looked at again; default 5 s. */
  companyRescanMs?: number;
  writer?: FolderWriter;
  localFindings?: LocalFindingsSource;
}

export interface ErpFolderCompanyView {
  cif: string;
  exportFolder: string;
  writeBack: boolean;
  months: MonthsView;
  writeBackErrorCount: number;
  writeBackErrors: WriteBackError[];
}

export interface ErpFolders {
  months: ErpMonths;
  /** The folder intakes running now, by CIF. */
  readonly intakes: ReadonlyMap<string, FolderIntake>;
  /** Null when the store keeps no write-back records. */
  writeBack: ErpWriteBack | null;
  /** The company's folder settings and write-back errors; null when it has no export folder. */
  view(cif: string, errorLimit?: number): Promise<ErpFolderCompanyView | null>;
  /** A person's month choice (null: back to the configuration); the folder is walked again at once. */
  setMonths(cif: string, months: readonly string[] | null): Promise<MonthsView>;
  /** Matches the running intakes to the store's companies now (also done every few seconds). */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

/** Write-back for a configured company: on with an export folder unless `writeBack: false`. */
export function writeBackEnabled(c: CompanyConfig): boolean {
  return c.exportFolder !== undefined && c.writeBack !== false;
}

interface Watched {
  companyId: number;
  folder: string;
  intake: FolderIntake;
  /** The month selection the intake last walked with, to walk again only when it changes. */
  monthsKey: string;
}

export interface ErpFoldersOptions {
  store: Store;
  /** The configuration file's companies: their settings; any other store company gets the defaults. */
  companies: readonly CompanyConfig[];
  intake: IntakeService;
  rejections: IntakeRejections;
  archive: Archive;
  clock: Clock;
  log: EngineLogger;
  onAccepted: (companyId: number | undefined) => void;
  overrides?: ErpFolderOverrides;
}

class ErpFolderRoundTrip implements ErpFolders {
  readonly months: ErpMonths;
  readonly writeBack: ErpWriteBack | null;
  private readonly erp: ErpFolderStore | null;
  private readonly configured: ReadonlyMap<string, CompanyConfig>;
  private readonly watched = new Map<string, Watched>();
  /** Folders that could not be watched, by CIF: logged once, tried again at each rescan. */
  private readonly failed = new Map<string, string>();
  private readonly stopping = new AbortController();
  private syncing: Promise<void> = Promise.resolve();
  private loop: Promise<void> | null = null;

  constructor(private readonly options: ErpFoldersOptions) {
    const o = options.overrides ?? {};
    this.configured = new Map(options.companies.map((c) => [c.cif, c]));
    this.months = new ErpMonths(options.store, new Map(options.companies.map((c) => [c.cif, c.months])));
    this.erp = erpFolderStoreOf(options.store, () => options.clock.now());
    this.writeBack = this.erp
      ? new ErpWriteBack({
          erp: this.erp,
          archive: options.archive,
          clock: options.clock,
          log: options.log,
          ...(o.writeBackIntervalMs !== undefined ? { intervalMs: o.writeBackIntervalMs } : {}),
          ...(o.writeBackRetryMs !== undefined ? { retryMs: o.writeBackRetryMs } : {}),
          ...(o.writer ? { writer: o.writer } : {}),
          // Intake's validation findings are stored with the invoice; an override may replace them.
          localFindings: o.localFindings ?? localFindingsFromMessages,
        })
      : null;
  }

  get intakes(): ReadonlyMap<string, FolderIntake> {
    return new Map([...this.watched].map(([cif, w]) => [cif, w.intake]));
  }

  async start(): Promise<void> {
    await this.runSync(true);
    this.writeBack?.start();
    this.loop = this.rescan();
  }

  private writeBackOn(cif: string): boolean {
    return this.configured.get(cif)?.writeBack !== false;
  }

  private async rescan(): Promise<void> {
    const stop = this.stopping.signal;
    const every = this.options.overrides?.companyRescanMs ?? COMPANY_RESCAN_MS;
    while (!stop.aborted) {
      await this.options.clock.sleep(every, stop);
      if (stop.aborted) break;
      await this.sync().catch((e: unknown) => this.options.log.error({ err: String(e) }, 'export folder rescan failed'));
      // Another process (`efact months`) may change the selection: picked up within seconds.
      await this.reloadMonths().catch((e: unknown) => this.options.log.warn({ err: String(e) }, 'reloading the month selection failed'));
    }
  }

  private async reloadMonths(): Promise<void> {
    await this.months.reload(this.watched.keys());
    for (const [cif, w] of this.watched) {
      const key = JSON.stringify(this.months.selected(cif));
      if (key === w.monthsKey) continue;
      w.monthsKey = key;
      await w.intake.refresh();
    }
  }

  sync(): Promise<void> {
    return this.runSync(false);
  }

  /** One sync at a time: the rescan and a caller's `sync()` queue behind each other. */
  private runSync(atStart: boolean): Promise<void> {
    const next = this.syncing.then(() => this.syncOnce(atStart));
    this.syncing = next.catch(() => undefined);
    return next;
  }

  private async syncOnce(atStart: boolean): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const wanted = new Map<string, Company>();
    for (const c of await this.options.store.listCompanies()) if (c.exportFolder) wanted.set(c.cif, c);
    for (const [cif, w] of [...this.watched]) {
      if (wanted.get(cif)?.exportFolder === w.folder) continue;
      await this.unwatch(cif, w);
      this.options.log.info({ company: cif, folder: w.folder }, 'export folder no longer watched');
    }
    for (const cif of [...this.failed.keys()]) if (!wanted.has(cif)) this.failed.delete(cif);
    for (const [cif, company] of wanted) {
      if (this.watched.has(cif)) continue;
      try {
        await this.watch(company);
        this.failed.delete(cif);
        if (!atStart) this.options.log.info({ company: cif, folder: company.exportFolder }, 'export folder watched');
      } catch (e) {
        // At start a configured company's folder that cannot be watched stops Efact, as a wrong configuration does.
        if (atStart && this.configured.has(cif)) throw e;
        if (this.failed.get(cif) !== company.exportFolder) {
          this.options.log.error({ company: cif, folder: company.exportFolder, err: String(e) }, 'export folder cannot be watched; tried again later');
        }
        this.failed.set(cif, company.exportFolder!);
      }
    }
  }

  private async watch(company: Company): Promise<void> {
    const { log } = this.options;
    const o = this.options.overrides ?? {};
    const cif = company.cif;
    const folder = company.exportFolder!;
    const configured = this.configured.get(cif);
    const writeBack = this.writeBackOn(cif);
    await mkdir(folder, { recursive: true });
    await this.months.reload([cif]);
    const writer = o.writer ?? fsFolderWriter;
    // A file that could not be taken at all gets its reason beside it too (writeBack on).
    const refusalFile = async (rel: string, write: (dir: string, name: string, file: string) => Promise<void>): Promise<void> => {
      const names = answerNames(path.join(folder, ...rel.split('/')), { downloadId: null });
      await write(names.dir, names.errors, names.file).catch((e: unknown) =>
        log.warn({ file: rel, err: String(e) }, 'writing the refusal beside the file failed'),
      );
    };
    const refusals = writeBack
      ? {
          onRefused: (rel: string, code: string, message: string) =>
            void refusalFile(rel, (dir, name, file) => writeOwnFile(writer, dir, name, refusalText(file, code, message), ERRORS_MARK)),
          onRefusalResolved: (rel: string) => void refusalFile(rel, (dir, name) => removeOwnFile(writer, dir, name, ERRORS_MARK)),
        }
      : {};
    const fi = new FolderIntake({
      ...refusals,
      companyCif: cif,
      folder,
      pathPattern: configured?.intake.pathPattern ?? null,
      intake: this.options.intake,
      log,
      rejections: this.options.rejections,
      onAccepted: () => {
        this.options.onAccepted(company.id);
        this.writeBack?.wake();
      },
      months: () => this.months.selected(cif),
      ...(this.erp ? { index: this.erp.folderIndex(company.id) } : {}),
      ...(o.stableMs !== undefined ? { stableMs: o.stableMs } : {}),
      ...(o.usePolling !== undefined ? { usePolling: o.usePolling } : {}),
      ...(o.scanIntervalMs !== undefined ? { scanIntervalMs: o.scanIntervalMs } : {}),
    });
    await fi.start();
    this.watched.set(cif, { companyId: company.id, folder, intake: fi, monthsKey: JSON.stringify(this.months.selected(cif)) });
    if (writeBack) this.writeBack?.addCompany({ companyId: company.id, cif, folder });
  }

  private async unwatch(cif: string, w: Watched): Promise<void> {
    this.watched.delete(cif);
    this.writeBack?.removeCompany(w.companyId);
    this.months.forget(cif);
    await w.intake.stop();
  }

  /** The store's company with an export folder, or null. */
  private async companyWithFolder(cif: string): Promise<Company | null> {
    const company = await this.options.store.getCompanyByCif(normalizeCif(cif) ?? cif);
    return company && company.exportFolder && !company.removedAt ? company : null;
  }

  async view(cif: string, errorLimit = 50): Promise<ErpFolderCompanyView | null> {
    const company = await this.companyWithFolder(cif);
    if (!company) return null;
    const erp = this.erp;
    // Not yet watched (added a moment ago): its month choice is read now.
    if (!this.watched.has(company.cif)) await this.months.reload([company.cif]);
    return {
      cif: company.cif,
      exportFolder: company.exportFolder!,
      writeBack: this.writeBackOn(company.cif),
      months: this.months.view(company.cif),
      writeBackErrorCount: erp ? await erp.countWriteBackErrors(company.id) : 0,
      writeBackErrors: erp ? await erp.listWriteBackErrors(company.id, errorLimit) : [],
    };
  }

  async setMonths(cif: string, list: readonly string[] | null): Promise<MonthsView> {
    const company = await this.companyWithFolder(cif);
    if (!company) throw new EfactError('NOT_FOUND', `company ${cif} has no export folder configured`, { details: { cif } });
    const view = await this.months.set(company.cif, list);
    const w = this.watched.get(company.cif);
    if (w) {
      w.monthsKey = JSON.stringify(this.months.selected(company.cif));
      await w.intake.refresh();
    }
    return view;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await this.syncing;
    await this.writeBack?.stop();
    for (const [cif, w] of [...this.watched]) {
      await this.unwatch(cif, w).catch((e: unknown) => this.options.log.error({ err: String(e) }, 'error while stopping the ERP folders'));
    }
  }
}

export async function startErpFolders(options: ErpFoldersOptions): Promise<ErpFolders> {
  const folders = new ErpFolderRoundTrip(options);
  try {
    await folders.start();
  } catch (e) {
    await folders.stop();
    throw e;
  }
  return folders;
}
