/**
 * The rate governor shared by every instance that uses the same ANAF credentials (ARCHITECTURE
 * rule 3), kept in PostgreSQL (tables of migration 0003):
 *
 * - the per-minute budget is counted per clock minute under a *budget key* (the credentials'
 *   identity, see credentialsIdentity). Instances lease small slices of the minute with one
 *   atomic upsert (`insert … on conflict do update … where used < limit returning`), so the sum of
 *   all grants never exceeds the limit, and the database sees one query per slice rather than one
 *   per call. A slice is never larger than the callers waiting for it and shrinks as the minute's
 *   budget runs low, so nothing is stranded in an instance that has no use for it; slices are not
 *   handed out in the last moments of a minute, so a call granted in one minute does not arrive
 *   at the platform in the next one;
 * - ANAF's daily quotas (per message: stareMesaj, descarcare; per CUI: lists, RASP uploads) are
 *   counted per ANAF day (Bucharest midnight, from this instance's clock) under a *platform key*
 *   (the API's address: ANAF counts per CUI and message, whoever asks) — one atomic upsert per
 *   call that has such a quota;
 * - a quota answer from the platform, reported by any instance, becomes a row that pauses the
 *   scope for all of them: daily scopes are checked in the same statement as their counter,
 *   the whole-budget pause (HTTP 429) comes back with every slice leased.
 *
 * Pacing (the manuals' SecundeNext) stays per instance, as it is configured per instance.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { EfactError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { GovernedCall, GovernorSnapshot, QuotaUse, RateGovernor } from '../../ports/rate-governor.js';
import type { CallLimits } from '../anaf/limits.js';
import { anafDay, nextAnafDayStart } from '../anaf/time.js';
import { dailyScopeOf, type DailyScope } from '../../engine/governor/quota-rules.js';

export interface PostgresGovernorOptions {
  /** The store's PostgreSQL URL; the governor keeps a small pool of its own. */
  url: string;
  /** Schema of the store (the governor's tables live beside the store's). */
  schema?: string;
  clock: Clock;
  limits: CallLimits;
  /** Least gap between two calls of this instance, in ms. */
  pacingMs: number;
  /** Who shares the per-minute budget: see credentialsIdentity. */
  budgetKey: string;
  /** Who shares the daily quotas: the platform's address (see platformIdentity). */
  platformKey: string;
  /** This instance's id, written with the pauses it reports. */
  instance: string;
  /** Largest slice of the minute's budget leased at once (default 10). */
  maxLease?: number;
  /** No slices are leased in the last ms of a minute (default 300). */
  minuteGuardMs?: number;
  /** How long pauses seen in the database are trusted before asking again (default 1000 ms). */
  pauseRefreshMs?: number;
  /** Connections of the governor's pool (default 3). */
  poolSize?: number;
}

const MINUTE = 60_000;
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The per-minute budget key of a set of credentials: never the secret itself, only a hash. */
export function credentialsIdentity(apiBaseUrl: string, credentials: string): string {
  return createHash('sha256').update(`${platformIdentity(apiBaseUrl)}\n${credentials}`).digest('hex').slice(0, 32);
}

/** The platform a daily quota belongs to: the API's origin (scheme, host, port). */
export function platformIdentity(apiBaseUrl: string): string {
  try {
    return new URL(apiBaseUrl).origin.toLowerCase();
  } catch {
    return apiBaseUrl.toLowerCase();
  }
}

interface Pause {
  until: Date;
  label: string;
}

const SQL_LEASE = `
with lease as (
  insert into governor_minute as g (budget_key, minute, used, last_grant)
  values ($1, $2, least($3::int, $4::int), least($3::int, $4::int))
  on conflict (budget_key, minute) do update
    set used = g.used + least(excluded.last_grant, $4::int - g.used),
        last_grant = least(excluded.last_grant, $4::int - g.used)
    where g.used < $4::int
  returning used, last_grant
), paused as (
  select scope_key, until_ms, label from governor_pause
  where ((key_space = $1 and scope_key = '*') or key_space = $6) and until_ms > $5
)
select (select used from lease) as used,
       (select last_grant from lease) as granted,
       (select used from governor_minute where budget_key = $1 and minute = $2) as seen,
       coalesce((select json_agg(json_build_object('k', scope_key, 'u', until_ms, 'l', label)) from paused), '[]'::json) as pauses`;

/** The same statement leasing nothing: only the pauses and the minute's shared count. */
const SQL_PEEK = SQL_LEASE.replace('values ($1, $2, least($3::int, $4::int), least($3::int, $4::int))', 'select $1, $2, $3::int, $4::int where false');

const SQL_DAILY = `
with p as (
  select max(until_ms) as until_ms from governor_pause
  where ((key_space = $1 and scope_key = $3) or (key_space = $6 and scope_key = '*')) and until_ms > $5
), d as (
  insert into governor_daily as d (platform_key, day, scope_key, used)
  select $1, $2, $3, 1 where (select until_ms from p) is null
  on conflict (platform_key, day, scope_key) do update set used = d.used + 1 where d.used < $4::int
  returning used
)
select (select until_ms from p) as paused_until, (select used from d) as used`;

const SQL_PAUSE = `
insert into governor_pause (key_space, scope_key, until_ms, label, reported_by) values ($1, $2, $3, $4, $5)
on conflict (key_space, scope_key) do update
  set until_ms = greatest(governor_pause.until_ms, excluded.until_ms), label = excluded.label, reported_by = excluded.reported_by`;

export class PostgresRateGovernor implements RateGovernor {
  private readonly pool: pg.Pool;
  private nextSlot = 0;
  private lease = { minute: -1, remaining: 0 };
  private leasing: Promise<void> | null = null;
  /** Callers of this instance waiting for a slot of the minute: a slice never exceeds them. */
  private waiting = 0;
  private refreshing: Promise<void> | null = null;
  /** Next slice size: shrinks as the minute's shared budget runs low. */
  private leaseSize: number;
  /** The minute's shared count last seen (all instances). */
  private shared = { minute: -1, used: 0 };
  /** Pauses known here: from this instance's reports and from the database. Key "*" = all calls. */
  private pauses = new Map<string, Pause>();
  private pausesSeenAt = -Infinity;
  /** Daily figures last seen, for snapshot(). */
  private daily = new Map<string, { used: number; scope: DailyScope; day: string }>();
  private readonly writes = new Set<Promise<void>>();
  private lastCleanup = -Infinity;
  private closed = false;

  constructor(private readonly options: PostgresGovernorOptions) {
    const config: pg.PoolConfig = { connectionString: options.url, max: options.poolSize ?? 3 };
    if (options.schema !== undefined) {
      if (!SCHEMA_NAME.test(options.schema)) throw new EfactError('INVALID_CONFIG', `governor schema must be a plain identifier, got ${JSON.stringify(options.schema)}`);
      config.options = `-c search_path=${options.schema}`;
    }
    this.pool = new pg.Pool(config);
    this.pool.on('error', () => undefined);
    this.leaseSize = this.maxLease;
  }

  private get maxLease(): number {
    return Math.max(1, Math.floor(this.options.maxLease ?? 10));
  }

  private get perMinuteLimit(): number {
    return Math.max(1, Math.floor(this.options.limits.perMinute * this.options.limits.headroom));
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }

  isPaused(call: GovernedCall): Date | null {
    const now = this.now();
    const scope = dailyScopeOf(call, this.options.limits);
    let until: Date | null = null;
    for (const key of ['*', scope?.key]) {
      if (key === undefined) continue;
      const p = this.pauses.get(key);
      if (p && p.until.getTime() > now && (until === null || p.until > until)) until = p.until;
    }
    return until;
  }

  async acquire(call: GovernedCall, signal?: AbortSignal): Promise<void> {
    if (this.closed) throw new EfactError('PLATFORM_UNAVAILABLE', 'the rate governor is closed');
    const { clock } = this.options;
    const scope = dailyScopeOf(call, this.options.limits);
    if (this.now() - this.pausesSeenAt > (this.options.pauseRefreshMs ?? 1000)) await this.refreshPauses();
    this.throwIfPaused(call);
    // Pacing: reserve the next slot synchronously so concurrent callers queue up in order.
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.options.pacingMs;
    if (slot > now) await clock.sleep(slot - now, signal);
    const minute = await this.takeMinuteSlot(signal);
    this.throwIfPaused(call);
    if (scope) {
      try {
        await this.countDaily(call, scope);
      } catch (e) {
        // Not spent: the slot goes back to this instance's slice if the minute is still the same.
        if (this.lease.minute === minute) this.lease.remaining++;
        throw e;
      }
    }
    this.cleanupNow();
  }

  private refreshPauses(): Promise<void> {
    this.refreshing ??= this.query(() => this.leaseSlice(Math.floor(this.now() / MINUTE), 0)).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private throwIfPaused(call: GovernedCall): void {
    const until = this.isPaused(call);
    if (until) {
      throw new EfactError('PLATFORM_QUOTA', `ANAF limit reached for ${call.endpoint}; paused until ${until.toISOString()}`, {
        retryAt: until,
        endpoint: call.endpoint,
      });
    }
  }

  /** One call's share of the minute budget: from this instance's slice, leasing a new one when it is used up. */
  private async takeMinuteSlot(signal?: AbortSignal): Promise<number> {
    const guard = this.options.minuteGuardMs ?? 300;
    let counted = true;
    this.waiting++;
    try {
      for (;;) {
        if (signal?.aborted) throw new EfactError('PLATFORM_UNAVAILABLE', 'call cancelled while waiting for the rate governor');
        const t = this.now();
        const minute = Math.floor(t / MINUTE);
        const minuteEnd = (minute + 1) * MINUTE;
        // Within the guard even an already leased slot stays unused: a call leaving now would reach
        // ANAF in the next minute and count against that one (seen as quota answers at minute ends).
        if (this.lease.minute === minute && this.lease.remaining > 0 && minuteEnd - t > guard) {
          this.lease.remaining--;
          // Counted off at once: a lease started a tick later must not count this caller again.
          this.waiting--;
          counted = false;
          return minute;
        }
        if (minuteEnd - t > guard) {
          if (this.leasing === null) {
            // No more than the callers waiting now: a slot leased for nobody is lost to the other instances.
            const want = Math.min(this.leaseSize, this.waiting);
            this.leasing = this.query(() => this.leaseSlice(minute, want)).finally(() => {
              this.leasing = null;
            });
          }
          await this.leasing;
          if (this.lease.minute === minute && this.lease.remaining > 0) continue;
          if (this.shared.minute === minute && this.shared.used < this.perMinuteLimit) continue; // another caller's slice ran out; lease again
        }
        // The minute's budget is spent (or about to end): wait for the next minute, unless it came meanwhile.
        if (Math.floor(this.now() / MINUTE) !== minute) continue;
        await this.options.clock.sleep(Math.max(1, minuteEnd - this.now()), signal);
      }
    } finally {
      if (counted) this.waiting--;
    }
  }

  /** Leases up to `want` calls of the minute (0: only refreshes the pauses). */
  private async leaseSlice(minute: number, want: number): Promise<void> {
    const now = this.now();
    const limit = this.perMinuteLimit;
    const res = await this.pool.query<{ used: number | null; granted: number | null; seen: number | null; pauses: Array<{ k: string; u: number; l: string }> }>(
      want > 0 ? SQL_LEASE : SQL_PEEK,
      [this.options.budgetKey, minute, want, limit, now, this.options.platformKey],
    );
    const row = res.rows[0]!;
    const granted = Number(row.granted ?? 0);
    const used = Number(row.used ?? row.seen ?? (want > 0 ? limit : 0));
    if (this.lease.minute !== minute) this.lease = { minute, remaining: 0 };
    this.lease.remaining += granted;
    this.shared = { minute, used };
    // Slices shrink as the budget runs low: at most an eighth of what is left.
    this.leaseSize = Math.max(1, Math.min(this.maxLease, Math.floor((limit - used) / 8)));
    this.takePauses(row.pauses, now);
  }

  private takePauses(rows: Array<{ k: string; u: number; l: string }>, now: number): void {
    // Keep this instance's own reports still being written; replace what the database knew.
    for (const [k, p] of this.pauses) if (p.until.getTime() <= now) this.pauses.delete(k);
    for (const r of rows) {
      const until = new Date(Number(r.u));
      const known = this.pauses.get(r.k);
      if (!known || known.until < until) this.pauses.set(r.k, { until, label: r.l });
    }
    this.pausesSeenAt = now;
  }

  private async countDaily(call: GovernedCall, scope: DailyScope): Promise<void> {
    const nowDate = this.options.clock.now();
    const now = nowDate.getTime();
    const day = anafDay(nowDate);
    const res = await this.query(() =>
      this.pool.query<{ paused_until: string | null; used: number | null }>(SQL_DAILY, [
        this.options.platformKey,
        day,
        scope.key,
        scope.limit,
        now,
        this.options.budgetKey,
      ]),
    );
    const row = res.rows[0]!;
    if (row.paused_until !== null) {
      const until = new Date(Number(row.paused_until));
      this.pauses.set(scope.key, { until, label: scope.label });
      throw new EfactError('PLATFORM_QUOTA', `ANAF limit reached for ${call.endpoint}; paused until ${until.toISOString()}`, {
        retryAt: until,
        endpoint: call.endpoint,
      });
    }
    if (row.used === null) {
      this.daily.set(scope.key, { used: scope.limit, scope, day });
      throw new EfactError('PLATFORM_QUOTA', `daily limit of ${scope.limit} used for ${scope.label}; waiting for ANAF's next day`, {
        retryAt: nextAnafDayStart(nowDate),
        endpoint: call.endpoint,
        details: { scope: scope.key, used: scope.limit, limit: scope.limit },
      });
    }
    this.daily.set(scope.key, { used: Number(row.used), scope, day });
    if (this.daily.size > 5000) this.trimDaily(day);
  }

  private trimDaily(today: string): void {
    for (const [k, v] of this.daily) if (v.day !== today || k.includes(':status:') || k.includes(':download:')) this.daily.delete(k);
  }

  reportQuota(call: GovernedCall, error: EfactError): void {
    const now = this.options.clock.now();
    const scope = dailyScopeOf(call, this.options.limits);
    const perMinute = error.httpStatus === 429;
    const key = perMinute || !scope ? '*' : scope.key;
    const until = error.retryAt ?? (perMinute ? new Date(now.getTime() + MINUTE) : nextAnafDayStart(now));
    const label = scope && !perMinute ? scope.label : 'all ANAF calls';
    const known = this.pauses.get(key);
    if (!known || known.until < until) this.pauses.set(key, { until, label });
    // "*" belongs to the credentials' budget, a daily scope to the platform.
    const space = key === '*' ? this.options.budgetKey : this.options.platformKey;
    this.track(
      this.pool
        .query(SQL_PAUSE, [space, key, until.getTime(), label, this.options.instance])
        .then(() => undefined),
    );
  }

  snapshot(): GovernorSnapshot {
    const now = this.options.clock.now();
    const t = now.getTime();
    const minute = Math.floor(t / MINUTE);
    const today = anafDay(now);
    const resetsAt = nextAnafDayStart(now);
    const quotas: QuotaUse[] = [];
    for (const { used, scope, day } of this.daily.values()) {
      if (day !== today) continue;
      if ((!scope.key.includes(':status:') && !scope.key.includes(':download:')) || used >= scope.limit * 0.8) {
        quotas.push({ scope: scope.label, used, limit: scope.limit, resetsAt, pausedByPlatform: false });
      }
    }
    for (const [key, p] of this.pauses) {
      if (p.until.getTime() > t) quotas.push({ scope: key === '*' ? 'all ANAF calls' : p.label, used: 0, limit: 0, resetsAt: p.until, pausedByPlatform: true });
    }
    return {
      callsThisMinute: this.shared.minute === minute ? this.shared.used : 0,
      perMinuteLimit: this.perMinuteLimit,
      quotas,
    };
  }

  /** The shared figures as the database has them now (all instances together). */
  async sharedSnapshot(): Promise<GovernorSnapshot> {
    await this.refreshPauses();
    const now = this.options.clock.now();
    const res = await this.query(() =>
      this.pool.query<{ scope_key: string; used: number }>(
        `select scope_key, used from governor_daily where platform_key = $1 and day = $2 and scope_key not like '%:status:%' and scope_key not like '%:download:%'`,
        [this.options.platformKey, anafDay(now)],
      ),
    );
    const base = this.snapshot();
    const fromDb = res.rows.map((r) => ({ scope: r.scope_key, used: Number(r.used), limit: 0, resetsAt: nextAnafDayStart(now), pausedByPlatform: false }));
    return { ...base, quotas: [...fromDb, ...base.quotas.filter((q) => q.pausedByPlatform)] };
  }

  /** Waits for reported pauses to be written (tests; stop). */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.pool.end();
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch(() => undefined).finally(() => this.writes.delete(tracked));
    this.writes.add(tracked);
  }

  /** Old minutes, days and pauses are dropped now and then, by whichever instance gets there. */
  private cleanupNow(): void {
    const now = this.now();
    if (now - this.lastCleanup < 10 * MINUTE) return;
    this.lastCleanup = now;
    const minute = Math.floor(now / MINUTE);
    this.track(
      (async () => {
        await this.pool.query('delete from governor_minute where minute < $1', [minute - 10]);
        // yesterday stays, for instances whose clocks lag a little
        await this.pool.query('delete from governor_daily where day < $1', [anafDay(new Date(now - 86_400_000))]);
        await this.pool.query('delete from governor_pause where until_ms < $1', [now - 86_400_000]);
      })(),
    );
  }

  /** A database failure means no call may be made: a retryable error, nothing was sent. */
  private async query<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof EfactError) throw e;
      throw new EfactError('PLATFORM_UNAVAILABLE', `rate governor unavailable (PostgreSQL): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
}
