/**
 * Keeps one FolderIntake per company with an export folder, following the store: companies added
 * at run time (CLI, API) get their folder watched, a removed company's folder is no longer
 * watched, a changed folder is watched anew. Checked at start and every few seconds, like the
 * engine's company rescan.
 */
import { mkdir } from 'node:fs/promises';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { EngineLogger } from '../engine/context.js';
import { FolderIntake } from '../engine/intake/folder-intake.js';
import type { IntakeService } from '../engine/intake/intake-service.js';
import type { IntakeRejections } from '../engine/intake/intake-rejections.js';

export const FOLDER_RESCAN_MS = 5_000;

export interface CompanyFoldersOptions {
  store: Store;
  intake: IntakeService;
  rejections: IntakeRejections;
  log: EngineLogger;
  clock: Clock;
  /** pathPattern of the companies the configuration file lists, by CIF. */
  pathPatternOf: (cif: string) => string | null;
  /** Called after a file of the company was accepted (wakes the engine). */
  onAccepted: (companyId: number) => void;
  /** Companies whose folder is watched elsewhere (the configuration file's ERP-folder round trip). */
  skip?: (cif: string) => boolean;
}

export class CompanyFolders {
  private readonly watching = new Map<string, { folder: string; intake: FolderIntake }>();
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(private readonly options: CompanyFoldersOptions) {}

  async start(): Promise<void> {
    await this.sync();
    this.loop = this.rescan();
  }

  private async rescan(): Promise<void> {
    const stop = this.stopping.signal;
    while (!stop.aborted) {
      await this.options.clock.sleep(FOLDER_RESCAN_MS, stop);
      if (stop.aborted) break;
      await this.sync().catch((e: unknown) => this.options.log.error({ err: String(e) }, 'export folder rescan failed'));
    }
  }

  /** Starts and stops watchers so that they match the store's companies. */
  async sync(): Promise<void> {
    const wanted = new Map<string, { id: number; folder: string }>();
    for (const c of await this.options.store.listCompanies()) {
      if (c.exportFolder && !this.options.skip?.(c.cif)) wanted.set(c.cif, { id: c.id, folder: c.exportFolder });
    }
    for (const [cif, w] of this.watching) {
      if (wanted.get(cif)?.folder === w.folder) continue;
      await w.intake.stop();
      this.watching.delete(cif);
      this.options.log.info({ company: cif, folder: w.folder }, 'export folder no longer watched');
    }
    for (const [cif, { id, folder }] of wanted) {
      if (this.watching.has(cif)) continue;
      await mkdir(folder, { recursive: true });
      const intake = new FolderIntake({
        companyCif: cif,
        folder,
        pathPattern: this.options.pathPatternOf(cif),
        intake: this.options.intake,
        log: this.options.log,
        onAccepted: () => this.options.onAccepted(id),
        rejections: this.options.rejections,
      });
      await intake.start();
      this.watching.set(cif, { folder, intake });
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    for (const w of this.watching.values()) await w.intake.stop();
    this.watching.clear();
  }
}
