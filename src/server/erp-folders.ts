/**
 * The ERP-folder round trip put together for one instance: per company with an export folder,
 * its folder intake (with the store's file index and the month selection) and, where
 * `writeBack` is on (the default with an export folder), the answers written back beside the
 * invoices. The API and the CLI reach month selection and write-back errors through here.
 */
import { mkdir } from 'node:fs/promises';
import type { CompanyConfig } from '../config/types.js';
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
import path from 'node:path';
import { erpFolderStoreOf } from '../adapters/store/erp-folders.js';
import { EfactError } from '../domain/errors.js';
import { normalizeCif } from '../domain/cif.js';

/** Knobs the configuration file does not carry (tests, benchmarks). */
export interface ErpFolderOverrides {
  stableMs?: number;
  usePolling?: boolean;
  scanIntervalMs?: number;
  writeBackIntervalMs?: number;
  writeBackRetryMs?: number;
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
  intakes: ReadonlyMap<string, FolderIntake>;
  writeBack: ErpWriteBack | null;
  /** The company's folder settings and write-back errors; null when it has no export folder. */
  view(cif: string, errorLimit?: number): Promise<ErpFolderCompanyView | null>;
  /** A person's month choice (null: back to the configuration); the folder is walked again at once. */
  setMonths(cif: string, months: readonly string[] | null): Promise<MonthsView>;
  stop(): Promise<void>;
}

export function writeBackEnabled(c: CompanyConfig): boolean {
  return c.exportFolder !== undefined && c.writeBack !== false;
}

const MONTHS_RELOAD_MS = 5_000;

export async function startErpFolders(options: {
  store: Store;
  companies: readonly CompanyConfig[];
  intake: IntakeService;
  rejections: IntakeRejections;
  archive: Archive;
  clock: Clock;
  log: EngineLogger;
  onAccepted: (companyId: number | undefined) => void;
  overrides?: ErpFolderOverrides;
}): Promise<ErpFolders> {
  const { store, companies, intake, rejections, archive, clock, log } = options;
  const o = options.overrides ?? {};
  const erp: ErpFolderStore | null = erpFolderStoreOf(store, () => clock.now());
  const withFolder = companies.filter((c) => c.exportFolder !== undefined);
  const months = new ErpMonths(store, new Map(withFolder.map((c) => [c.cif, c.months])));
  await months.reload();

  const intakes = new Map<string, FolderIntake>();
  const writeBackCompanies: Array<{ companyId: number; cif: string; folder: string }> = [];
  const stoppers: Array<() => Promise<void>> = [];
  let writeBack: ErpWriteBack | null = null;
  const stop = async (): Promise<void> => {
    for (const s of stoppers.reverse()) await s().catch((e: unknown) => log.error({ err: String(e) }, 'error while stopping the ERP folders'));
    stoppers.length = 0;
  };
  try {
    for (const c of withFolder) {
      const folder = c.exportFolder!;
      await mkdir(folder, { recursive: true });
      const company = await store.getCompanyByCif(c.cif);
      const writer = o.writer ?? fsFolderWriter;
      // A file that could not be taken at all gets its reason beside it too (writeBack on).
      const refusalFile = async (rel: string, write: (dir: string, name: string, file: string) => Promise<void>): Promise<void> => {
        const names = answerNames(path.join(folder, ...rel.split('/')), { downloadId: null });
        await write(names.dir, names.errors, names.file).catch((e: unknown) =>
          log.warn({ file: rel, err: String(e) }, 'writing the refusal beside the file failed'),
        );
      };
      const refusals = writeBackEnabled(c)
        ? {
            onRefused: (rel: string, code: string, message: string) =>
              void refusalFile(rel, (dir, name, file) => writeOwnFile(writer, dir, name, refusalText(file, code, message), ERRORS_MARK)),
            onRefusalResolved: (rel: string) => void refusalFile(rel, (dir, name) => removeOwnFile(writer, dir, name, ERRORS_MARK)),
          }
        : {};
      const fi = new FolderIntake({
        ...refusals,
        companyCif: c.cif,
        folder,
        pathPattern: c.intake.pathPattern ?? null,
        intake,
        log,
        rejections,
        onAccepted: () => {
          options.onAccepted(company?.id);
          writeBack?.wake();
        },
        months: () => months.selected(c.cif),
        ...(erp && company ? { index: erp.folderIndex(company.id) } : {}),
        ...(o.stableMs !== undefined ? { stableMs: o.stableMs } : {}),
        ...(o.usePolling !== undefined ? { usePolling: o.usePolling } : {}),
        ...(o.scanIntervalMs !== undefined ? { scanIntervalMs: o.scanIntervalMs } : {}),
      });
      await fi.start();
      stoppers.push(() => fi.stop());
      intakes.set(c.cif, fi);
      if (writeBackEnabled(c) && company) writeBackCompanies.push({ companyId: company.id, cif: c.cif, folder });
    }
    if (erp && writeBackCompanies.length > 0) {
      const wb = new ErpWriteBack({
        erp,
        archive,
        clock,
        log,
        companies: writeBackCompanies,
        ...(o.writeBackIntervalMs !== undefined ? { intervalMs: o.writeBackIntervalMs } : {}),
        ...(o.writeBackRetryMs !== undefined ? { retryMs: o.writeBackRetryMs } : {}),
        ...(o.writer ? { writer: o.writer } : {}),
        // Intake's validation findings are stored with the invoice; an override may replace them.
        localFindings: o.localFindings ?? localFindingsFromMessages,
      });
      writeBack = wb;
      wb.start();
      stoppers.push(() => wb.stop());
    }
    // Another process (`efact months`) may change the selection: picked up within seconds.
    const reload = setInterval(() => {
      void months
        .reload()
        .then(() => Promise.all([...intakes.values()].map((fi) => fi.refresh())))
        .catch((e: unknown) => log.warn({ err: String(e) }, 'reloading the month selection failed'));
    }, MONTHS_RELOAD_MS);
    reload.unref();
    stoppers.push(async () => clearInterval(reload));
  } catch (e) {
    await stop();
    throw e;
  }

  const find = (cif: string): CompanyConfig | undefined => {
    const n = normalizeCif(cif);
    return withFolder.find((c) => c.cif === n);
  };

  return {
    months,
    intakes,
    writeBack,
    async view(cif, errorLimit = 50) {
      const c = find(cif);
      if (!c) return null;
      const company = await store.getCompanyByCif(c.cif);
      const errors = erp && company ? await erp.listWriteBackErrors(company.id, errorLimit) : [];
      const count = erp && company ? await erp.countWriteBackErrors(company.id) : 0;
      return {
        cif: c.cif,
        exportFolder: c.exportFolder!,
        writeBack: writeBackEnabled(c),
        months: months.view(c.cif),
        writeBackErrorCount: count,
        writeBackErrors: errors,
      };
    },
    async setMonths(cif, list) {
      const c = find(cif);
      if (!c) throw new EfactError('NOT_FOUND', `company ${cif} has no export folder configured`, { details: { cif } });
      const view = await months.set(c.cif, list);
      await intakes.get(c.cif)?.refresh();
      return view;
    },
    stop,
  };
}
