/**
 * The rate governor for one instance (SQLite, single process): pacing between calls, a sliding
 * one-minute budget, and ANAF's daily quotas counted by ANAF's day (Bucharest). The PostgreSQL
 * governor shared by several instances implements the same port.
 *
 * The daily counts live in memory but, given a QuotaDayStore, are also written to the store as
 * they grow (before the call leaves) and loaded by restore() at start: ANAF counts a day's
 * downloads of a message whether or not this process was restarted in between.
 */
import { EfactError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { GovernedCall, GovernorSnapshot, QuotaDayStore, QuotaUse, RateGovernor } from '../../ports/rate-governor.js';
import { anafDay, nextAnafDayStart } from '../../adapters/anaf/time.js';
import { dailyScopeOf, type DailyScope } from './quota-rules.js';
import type { CallLimits } from '../../adapters/anaf/limits.js';

export interface MemoryGovernorOptions {
  clock: Clock;
  limits: CallLimits;
  /** Least gap between two calls of this instance (the manuals' SecundeNext), in ms. */
  pacingMs: number;
  /** Where the daily counts survive a restart, under the platform's key (see platformIdentity). */
  days?: { store: QuotaDayStore; platformKey: string };
}

const MINUTE = 60_000;

export class MemoryRateGovernor implements RateGovernor {
  private nextSlot = 0;
  /** Call times within the last minute, oldest first. */
  private window: number[] = [];
  private day = '';
  /** Today's counts by scope key; `scope` is unknown for counts restored and not used since. */
  private daily = new Map<string, { used: number; scope: DailyScope | null }>();
  private readonly writes = new Set<Promise<void>>();
  /** Scopes the platform itself paused, until the given time. "*" = everything (HTTP 429). */
  private paused = new Map<string, { until: Date; label: string }>();

  constructor(private readonly options: MemoryGovernorOptions) {}

  private get perMinuteLimit(): number {
    return Math.max(1, Math.floor(this.options.limits.perMinute * this.options.limits.headroom));
  }

  /** Loads today's counts from the store (call once at start, before any call). */
  async restore(): Promise<void> {
    const days = this.options.days;
    if (!days) return;
    const now = this.options.clock.now();
    this.rollDay(now);
    for (const { scopeKey, used } of await days.store.loadQuotaDay(days.platformKey, this.day)) {
      const entry = this.daily.get(scopeKey);
      if (entry) entry.used = Math.max(entry.used, used);
      else this.daily.set(scopeKey, { used, scope: null });
    }
  }

  /** Waits for counts still being written (tests; stop). */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  private persist(key: string, used: number): Promise<void> {
    const days = this.options.days;
    if (!days) return Promise.resolve();
    const write = days.store.saveQuotaCount(days.platformKey, this.day, key, used);
    const tracked = write.catch(() => undefined).finally(() => this.writes.delete(tracked));
    this.writes.add(tracked);
    return write;
  }

  private rollDay(now: Date): void {
    const today = anafDay(now);
    if (today !== this.day) {
      this.day = today;
      this.daily.clear();
    }
  }

  isPaused(call: GovernedCall): Date | null {
    const now = this.options.clock.now();
    const scope = dailyScopeOf(call, this.options.limits);
    for (const key of ['*', scope?.key]) {
      if (key === undefined) continue;
      const p = this.paused.get(key);
      if (p && p.until > now) return p.until;
    }
    return null;
  }

  async acquire(call: GovernedCall, signal?: AbortSignal): Promise<void> {
    const { clock } = this.options;
    const scope = dailyScopeOf(call, this.options.limits);
    this.checkDaily(call, scope);
    // Pacing: reserve the next slot synchronously so concurrent callers queue up in order.
    const now = clock.now().getTime();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.options.pacingMs;
    if (slot > now) await clock.sleep(slot - now, signal);
    // Per-minute budget.
    for (;;) {
      const t = clock.now().getTime();
      while (this.window.length > 0 && this.window[0]! <= t - MINUTE) this.window.shift();
      if (this.window.length < this.perMinuteLimit) {
        this.window.push(t);
        break;
      }
      await clock.sleep(this.window[0]! + MINUTE - t, signal);
      if (signal?.aborted) throw new EfactError('PLATFORM_UNAVAILABLE', 'call cancelled while waiting for the rate governor');
    }
    // Re-check after waiting: the day may have rolled, a quota answer may have arrived meanwhile.
    this.checkDaily(call, scope);
    if (scope) {
      const entry = this.daily.get(scope.key) ?? { used: 0, scope };
      entry.scope = scope;
      entry.used++;
      this.daily.set(scope.key, entry);
      // Written before the call leaves: a crash right after it must not make the call uncounted.
      try {
        await this.persist(scope.key, entry.used);
      } catch (e) {
        throw new EfactError('PLATFORM_UNAVAILABLE', `the daily quota count could not be stored: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }
  }

  private checkDaily(call: GovernedCall, scope: DailyScope | null): void {
    const now = this.options.clock.now();
    this.rollDay(now);
    const pausedUntil = this.isPaused(call);
    if (pausedUntil) {
      throw new EfactError('PLATFORM_QUOTA', `ANAF limit reached for ${call.endpoint}; paused until ${pausedUntil.toISOString()}`, {
        retryAt: pausedUntil,
        endpoint: call.endpoint,
      });
    }
    if (scope) {
      const used = this.daily.get(scope.key)?.used ?? 0;
      if (used >= scope.limit) {
        throw new EfactError('PLATFORM_QUOTA', `daily limit of ${scope.limit} used for ${scope.label}; waiting for ANAF's next day`, {
          retryAt: nextAnafDayStart(now),
          endpoint: call.endpoint,
          details: { scope: scope.key, used, limit: scope.limit },
        });
      }
    }
  }

  reportQuota(call: GovernedCall, error: EfactError): void {
    const now = this.options.clock.now();
    const scope = dailyScopeOf(call, this.options.limits);
    // A per-minute answer (429) or a quota we cannot attribute pauses every call.
    const perMinute = error.httpStatus === 429;
    const key = perMinute || !scope ? '*' : scope.key;
    const until = error.retryAt ?? (perMinute ? new Date(now.getTime() + MINUTE) : nextAnafDayStart(now));
    this.paused.set(key, { until, label: scope && !perMinute ? scope.label : 'all ANAF calls' });
    if (scope && !perMinute) {
      const entry = this.daily.get(scope.key) ?? { used: 0, scope };
      entry.scope = scope;
      entry.used = Math.max(entry.used, scope.limit);
      this.daily.set(scope.key, entry);
      // The platform says the day's quota is spent: remember it across a restart too.
      this.persist(scope.key, entry.used).catch(() => undefined);
    }
  }

  snapshot(): GovernorSnapshot {
    const now = this.options.clock.now();
    const t = now.getTime();
    const quotas: QuotaUse[] = [];
    const resetsAt = nextAnafDayStart(now);
    for (const { used, scope } of this.daily.values()) {
      if (scope === null) continue;
      // Per-message scopes are many and small; show those close to their limit, and every per-CUI one.
      if (!scope.key.includes(':status:') && !scope.key.includes(':download:') || used >= scope.limit * 0.8) {
        quotas.push({ scope: scope.label, used, limit: scope.limit, resetsAt, pausedByPlatform: false });
      }
    }
    for (const [key, p] of this.paused) {
      if (p.until > now) quotas.push({ scope: key === '*' ? 'all ANAF calls' : p.label, used: 0, limit: 0, resetsAt: p.until, pausedByPlatform: true });
    }
    return {
      callsThisMinute: this.window.filter((w) => w > t - MINUTE).length,
      perMinuteLimit: this.perMinuteLimit,
      quotas,
    };
  }
}
