/**
 * The engine: one worker loop per company, started and stopped together; new companies are
 * picked up as they appear. Implements the controls the API and CLI use.
 */
import { isEfactError, type EfactError } from '../domain/errors.js';
import type { CompanyEngineState, EngineControl } from './engine-control.js';
import type { EngineContext } from './context.js';
import { CompanyWorker } from './company-worker.js';
import { markInterruptedAttempts } from './steps/reconcile-step.js';

const COMPANY_RESCAN_MS = 5_000;

export class Engine implements EngineControl {
  private readonly workers = new Map<number, { worker: CompanyWorker; done: Promise<void>; leave: AbortController }>();
  private stopController = new AbortController();
  private scanner: Promise<void> | null = null;
  private haltReason: EfactError | null = null;
  private readonly haltListeners: Array<(reason: EfactError) => void> = [];

  constructor(private readonly ctx: EngineContext) {}

  /** Why the engine stopped by itself (its server registration was taken over or removed), or null. */
  get halted(): EfactError | null {
    return this.haltReason;
  }

  /** Called once when the engine stops by itself. */
  onHalt(listener: (reason: EfactError) => void): void {
    this.haltListeners.push(listener);
  }

  /**
   * Stops every worker for good because this instance may no longer write (fenced): another
   * instance took its serverId over, or its registration was removed. Idempotent.
   */
  halt(reason: EfactError): void {
    if (this.haltReason !== null) return;
    this.haltReason = reason;
    this.ctx.log.error({ code: reason.publicCode, reason: reason.message }, 'engine stopped: this instance no longer holds its server registration');
    this.stopController.abort();
    for (const listener of this.haltListeners) listener(reason);
  }

  async start(): Promise<void> {
    if (this.haltReason !== null) throw this.haltReason;
    const interrupted = await markInterruptedAttempts(this.ctx);
    if (interrupted > 0) {
      this.ctx.log.warn({ interrupted }, 'uploads interrupted by the last stop will be reconciled with ANAF before anything is re-sent');
    }
    await this.syncCompanies();
    this.scanner = this.scanLoop();
  }

  private async scanLoop(): Promise<void> {
    const stop = this.stopController.signal;
    while (!stop.aborted) {
      await this.ctx.clock.sleep(COMPANY_RESCAN_MS, stop);
      if (stop.aborted) break;
      await this.syncCompanies().catch((e: unknown) => this.ctx.log.error({ err: String(e) }, 'company rescan failed'));
    }
  }

  private async syncCompanies(): Promise<void> {
    if (this.stopController.signal.aborted) return;
    const companies = await this.ctx.store.listCompanies();
    // A removed company (listCompanies leaves it out) is no longer worked; its invoices stay.
    const listed = new Set(companies.map((c) => c.id));
    for (const [id, w] of this.workers) {
      if (listed.has(id)) continue;
      w.leave.abort();
      await w.done;
      this.workers.delete(id);
      this.ctx.log.info({ company: w.worker.state.cif }, 'company removed: the engine no longer works it');
    }
    for (const company of companies) {
      if (this.workers.has(company.id)) continue;
      const worker = new CompanyWorker(this.ctx, company);
      const leave = new AbortController();
      const done = worker.run(AbortSignal.any([this.stopController.signal, leave.signal])).catch((e: unknown) => {
        worker.state.lastError = String(e);
        if (isEfactError(e) && e.code === 'FENCED') {
          this.halt(e);
          return;
        }
        this.ctx.log.error({ company: company.cif, err: String(e) }, 'company worker stopped on an unexpected error');
      });
      this.workers.set(company.id, { worker, done, leave });
    }
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await Promise.all([...this.workers.values()].map((w) => w.done));
    await this.scanner;
    this.workers.clear();
    this.stopController = new AbortController();
  }

  states(): CompanyEngineState[] {
    return [...this.workers.values()].map((w) => ({ ...w.worker.state }));
  }

  resume(companyId?: number): void {
    for (const [id, w] of this.workers) if (companyId === undefined || id === companyId) w.worker.resume();
  }

  wake(companyId?: number): void {
    for (const [id, w] of this.workers) if (companyId === undefined || id === companyId) w.worker.wake();
  }
}
