/**
 * The server loop for one company (the manuals' WMEFServer working through its grid):
 * upload what is queued, learn outcomes, download answers, reconcile uncertain uploads; after
 * two passes without any change, pause for the idle back-off (MinuteTimeOut), visibly.
 */
import { asEfactError } from '../domain/errors.js';
import type { Company } from '../domain/company.js';
import type { MessageListEntry } from '../ports/platform.js';
import { ACTIVE_STATUSES } from '../domain/invoice-status.js';
import type { CompanyEngineState } from './engine-control.js';
import type { EngineContext } from './context.js';
import { runUploadStep } from './steps/upload-step.js';
import { listLeaseName, runStatusStep } from './steps/status-step.js';
import { runDownloadStep } from './steps/download-step.js';
import { runReconcileStep } from './steps/reconcile-step.js';
import { expireOutOfWindow } from './steps/window-step.js';

interface PassResult {
  changed: number;
  /** Active invoices remain. */
  open: boolean;
  /** More work is ready right now (a full upload batch, answers to fetch). */
  busy: boolean;
  /** A time by which the engine must look again whatever the back-off says. */
  deadline: Date | null;
  /** The pass asked the platform about waiting invoices (only such passes count toward the back-off). */
  looked: boolean;
}

const WINDOW_CHECK_MS = 10 * 60_000;

export class CompanyWorker {
  readonly state: CompanyEngineState;
  private wakeup = new AbortController();
  private noChangePasses = 0;
  /** When new work or a decision last woke the worker (ms): counts as a change for the idle back-off. */
  private wokenAt = 0;
  private lastStatusAt = 0;
  private lastWindowCheck = 0;
  private readonly startedAt: Date;

  constructor(
    private readonly ctx: EngineContext,
    company: Company,
  ) {
    this.startedAt = ctx.clock.now();
    this.state = {
      companyId: company.id,
      cif: company.cif,
      environment: company.environment,
      sendingEnabled: company.sendingEnabled,
      phase: 'idle',
      backoffUntil: null,
      quotaPausedUntil: null,
      lastPassAt: null,
      lastChangeAt: null,
      lastError: null,
    };
  }

  /** New work arrived: look now, even during an idle back-off (the grid changed). */
  wake(): void {
    // New work or a person's decision: the quiet period that leads to the idle back-off starts again.
    this.wokenAt = this.ctx.clock.now().getTime();
    this.state.backoffUntil = null;
    this.noChangePasses = 0;
    this.wakeup.abort();
  }

  /** The manuals' "resume now": end the idle back-off. */
  resume(): void {
    this.lastStatusAt = 0;
    this.wake();
  }

  private async pause(ms: number, stop: AbortSignal): Promise<void> {
    // Always give the event loop a turn: a pass can be all synchronous SQLite work, and a loop
    // of those would starve timers and sockets.
    await new Promise<void>((resolve) => setImmediate(resolve));
    // A wake that arrived since the last pause is not lost: it ends this pause at once.
    if (!this.wakeup.signal.aborted) await this.ctx.clock.sleep(ms, AbortSignal.any([stop, this.wakeup.signal]));
    if (this.wakeup.signal.aborted) this.wakeup = new AbortController();
  }

  async run(stop: AbortSignal): Promise<void> {
    try {
      await this.loop(stop);
    } finally {
      // Stopping: hand the company's message listing to another instance at once, not after the lease.
      const company = await this.ctx.store.getCompany(this.state.companyId).catch(() => null);
      if (company) await this.ctx.store.releaseCompanyLease(listLeaseName(company), this.ctx.instance).catch(() => undefined);
    }
  }

  private async loop(stop: AbortSignal): Promise<void> {
    const { store, clock, settings, log } = this.ctx;
    while (!stop.aborted) {
      const company = await store.getCompany(this.state.companyId);
      if (!company || company.removedAt) return;
      this.state.environment = company.environment;
      this.state.sendingEnabled = company.sendingEnabled;
      if (!company.sendingEnabled) {
        this.state.phase = 'stopped';
        await this.pause(settings.pollIntervalMs, stop);
        continue;
      }
      const now = clock.now();
      if (this.state.backoffUntil && this.state.backoffUntil > now) {
        this.state.phase = 'backoff';
        await this.pause(this.state.backoffUntil.getTime() - now.getTime(), stop);
        continue;
      }
      this.state.backoffUntil = null;

      let result: PassResult;
      try {
        result = await this.pass(company);
        this.state.lastError = null;
      } catch (e) {
        const err = asEfactError(e);
        // This instance lost its server registration: nothing it does may be written any more.
        if (err.code === 'FENCED') throw err;
        this.state.lastError = `${err.publicCode}: ${err.platformMessage ?? err.message}`;
        if (err.kind === 'quota' && err.retryAt) this.state.quotaPausedUntil = err.retryAt;
        log.warn({ company: company.cif, code: err.publicCode, message: err.platformMessage ?? err.message }, 'pass failed');
        result = { changed: 0, open: true, busy: false, deadline: null, looked: true };
      }
      this.state.lastPassAt = now;
      if (result.changed > 0) {
        this.noChangePasses = 0;
        this.state.lastChangeAt = now;
      }
      if (this.state.quotaPausedUntil && this.state.quotaPausedUntil <= clock.now()) this.state.quotaPausedUntil = null;
      if (!result.open) {
        this.state.phase = 'idle';
        this.noChangePasses = 0;
        await this.pause(settings.pollIntervalMs, stop);
        continue;
      }
      this.state.phase = this.state.quotaPausedUntil ? 'paused-quota' : 'running';
      if (result.busy) {
        await this.pause(0, stop); // more is ready: go on, after letting the event loop breathe
        continue;
      }
      const quietFor = clock.now().getTime() - Math.max((this.state.lastChangeAt ?? this.startedAt).getTime(), this.wokenAt);
      if (result.changed === 0 && result.looked && ++this.noChangePasses >= 2 && quietFor >= settings.idleQuietMs) {
        // The manuals' MinuteTimeOut: two passes in a row and nothing moved.
        this.noChangePasses = 0;
        const until = clock.now().getTime() + settings.idleBackoffMs;
        this.state.backoffUntil = new Date(result.deadline ? Math.min(until, result.deadline.getTime()) : until);
        this.state.phase = 'backoff';
        log.info({ company: company.cif, until: this.state.backoffUntil.toISOString() }, 'no change in two passes: idle back-off');
        continue;
      }
      // Nothing moved: wait at least the poll interval before looking again.
      await this.pause(result.changed > 0 ? settings.passIntervalMs : Math.max(settings.passIntervalMs, settings.pollIntervalMs), stop);
    }
  }

  private async pass(company: Company): Promise<PassResult> {
    const { store, clock, settings } = this.ctx;
    const now = clock.now().getTime();
    const runStatus = now - this.lastStatusAt >= settings.passIntervalMs;
    if (runStatus) this.lastStatusAt = now;
    // Uploads wait on the network, downloads mostly on the disk: run them side by side.
    const [up, st, dl] = await Promise.all([
      runUploadStep(this.ctx, company),
      runStatus ? runStatusStep(this.ctx, company) : null,
      runDownloadStep(this.ctx, company, settings.uploadBatch),
    ]);
    const statusChanged = st?.changed ?? 0;
    const looked = (st?.waiting ?? 0) > 0;
    if (st && st.incoming.length > 0) await this.keepIncoming(company, st.incoming);
    const rc = await runReconcileStep(this.ctx, company);
    let expired = 0;
    if (now - this.lastWindowCheck >= WINDOW_CHECK_MS) {
      this.lastWindowCheck = now;
      expired = await expireOutOfWindow(this.ctx, company);
    }
    const open =
      (await store.listInvoices({ companyId: company.id, environment: company.environment, status: [...ACTIVE_STATUSES], limit: 1 })).length > 0;
    return {
      changed: up.changed + statusChanged + dl.changed + rc.changed + expired,
      open,
      busy: up.claimed > 0 || dl.pending > 0,
      deadline: rc.nextDeadline,
      looked: looked || dl.pending > 0 || rc.open > 0,
    };
  }

  private async keepIncoming(company: Company, entries: MessageListEntry[]): Promise<void> {
    await this.ctx.store.addIncomingMessages(
      entries
        .filter((e) => e.id !== null)
        .map((e) => ({
          companyId: company.id,
          environment: company.environment,
          messageId: e.id!,
          uploadId: e.uploadId,
          kind: e.kind,
          rawType: e.rawType,
          details: e.details,
          platformCreatedAt: e.createdAt,
        })),
    );
  }
}
