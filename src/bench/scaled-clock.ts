import type { Clock } from '../ports/clock.js';

/** What a process needs to run the same scaled clock as the others (every field in ms). */
export interface ScaledClockSpec {
  factor: number;
  /** Clock time at `realStart`. */
  start: number;
  /** Real time (Date.now()) at which the clock read `start`. */
  realStart: number;
}

/**
 * Real time run `factor` times faster, identical in every process given the same spec (they all
 * read one system clock): the sandbox and the instances live through per-minute quota windows
 * together, in a fraction of the real time.
 */
export class BenchScaledClock implements Clock {
  constructor(readonly spec: ScaledClockSpec) {}

  now(): Date {
    return new Date(this.spec.start + (Date.now() - this.spec.realStart) * this.spec.factor);
  }

  /** Real milliseconds until the clock reads `at`. */
  realMsUntil(at: number): number {
    return (at - this.now().getTime()) / this.spec.factor;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(1, Math.ceil(ms / this.spec.factor)));
      function done(): void {
        signal?.removeEventListener('abort', done);
        clearTimeout(timer);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
