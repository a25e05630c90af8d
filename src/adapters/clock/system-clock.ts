import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../../ports/clock.js';

export const systemClock: Clock = {
  now: () => new Date(),
  async sleep(ms, signal) {
    if (ms <= 0 || signal?.aborted) return;
    try {
      await delay(ms, undefined, signal ? { signal } : undefined);
    } catch {
      // aborted: wake up early, callers check their own stop flags
    }
  },
};
