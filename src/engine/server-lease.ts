/**
 * Keeps this instance's server registration alive: a heartbeat every `intervalMs` renews the
 * lease. When the heartbeat finds the registration is no longer this instance's (taken over by
 * `--takeover`, or removed by `efact servers sync`), it says why and calls `onFenced` — the
 * runtime then halts the engine. A failed heartbeat for any other reason (database away) is
 * logged and tried again; if the lease runs out meanwhile, another instance may take the id and
 * this one finds out at its next heartbeat or write.
 */
import { asEfactError, type EfactError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { ServerRegistry } from '../ports/server-registry.js';
import type { EngineLogger } from './context.js';

export interface ServerLeaseOptions {
  registry: Pick<ServerRegistry, 'heartbeat'>;
  clock: Clock;
  intervalMs: number;
  log: EngineLogger;
  onFenced(reason: EfactError): void;
}

export class ServerLease {
  private readonly stopper = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(private readonly options: ServerLeaseOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  private async run(): Promise<void> {
    const { clock, intervalMs, log, registry } = this.options;
    const stop = this.stopper.signal;
    while (!stop.aborted) {
      await clock.sleep(intervalMs, stop);
      if (stop.aborted) return;
      try {
        await registry.heartbeat();
      } catch (e) {
        const err = asEfactError(e);
        if (err.code === 'FENCED') {
          log.error({ code: err.publicCode, reason: err.message }, 'server registration lost: this instance stops working');
          this.options.onFenced(err);
          return;
        }
        log.warn({ code: err.publicCode, err: err.message }, 'server heartbeat failed; trying again');
      }
    }
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.loop;
  }
}
