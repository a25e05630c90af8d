import type { Clock } from '../../ports/clock.js';

interface Sleeper {
  wakeAt: number;
  resolve: () => void;
}

/**
 * A clock that only moves when told to (tests, simulations). Sleepers wake when `advance`
 * passes their time. `autoAdvance` lets a sleeper move time itself, for fast simulations.
 */
export class ManualClock implements Clock {
  private t: number;
  private sleepers: Sleeper[] = [];

  constructor(start: Date | number = Date.UTC(2026, 10, 23, 10, 0, 0), private readonly autoAdvance = false) {
    this.t = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    if (this.autoAdvance) {
      this.t += ms;
      this.wake();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const sleeper: Sleeper = { wakeAt: this.t + ms, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Moves time forward and wakes every sleeper whose time has come. */
  advance(ms: number): void {
    this.t += ms;
    this.wake();
  }

  set(date: Date): void {
    this.t = date.getTime();
    this.wake();
  }

  private wake(): void {
    const due = this.sleepers.filter((s) => s.wakeAt <= this.t);
    this.sleepers = this.sleepers.filter((s) => s.wakeAt > this.t);
    for (const s of due) s.resolve();
  }
}
