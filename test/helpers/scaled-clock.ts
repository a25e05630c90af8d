import type { Clock } from '../../src/ports/clock.js';

/**
 * Real time, run faster: `factor` clock milliseconds pass per real millisecond. Lets a test
 * live through several per-minute quota windows in seconds, with every party (sandbox,
 * instances) on the same consistent time, which a ManualClock cannot give to free-running engines.
 */
export class ScaledClock implements Clock {
  private readonly realStart = Date.now();

  constructor(
    private readonly factor: number,
    private readonly start: number = Date.now(),
  ) {}

  now(): Date {
    return new Date(this.start + (Date.now() - this.realStart) * this.factor);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(1, Math.ceil(ms / this.factor)));
      function done(): void {
        signal?.removeEventListener('abort', done);
        clearTimeout(timer);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
