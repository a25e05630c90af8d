/**
 * ANAF's published call limits (limiteApeluriAPI.txt), counted per ANAF day (Bucharest
 * midnight) on the sandbox clock, plus the per-minute limit over all calls.
 */
import type { Clock } from '../../ports/clock.js';
import { anafDay } from '../../adapters/anaf/time.js';

export type DailyQuota = 'status' | 'download' | 'list' | 'pagedList' | 'rasp';

export interface QuotaLimits {
  /** stareMesaj per upload index per day. */
  status: number;
  /** descarcare per message per day. */
  download: number;
  /** listaMesajeFactura per CUI per day. */
  list: number;
  /** listaMesajePaginatieFactura per CUI per day. */
  pagedList: number;
  /** RASP uploads per CUI per day. */
  rasp: number;
  /** All calls per minute (benchmarks may raise it). */
  perMinute: number;
}

export const DEFAULT_QUOTAS: QuotaLimits = {
  status: 100,
  download: 10,
  list: 1500,
  pagedList: 100_000,
  rasp: 1000,
  perMinute: 1000,
};

export class QuotaBook {
  private day = '';
  private readonly daily = new Map<string, number>();
  private minute = -1;
  private minuteCount = 0;

  constructor(
    readonly limits: QuotaLimits,
    private readonly clock: Clock,
  ) {}

  private key(kind: DailyQuota, environment: string, subject: string): string {
    const today = anafDay(this.clock.now());
    if (today !== this.day) {
      // A new ANAF day: yesterday's counts no longer matter.
      this.day = today;
      this.daily.clear();
    }
    return `${kind}|${environment}|${subject}`;
  }

  /** Counts one call; false when it goes beyond the day's limit (the call is refused but still counted). */
  take(kind: DailyQuota, environment: string, subject: string): boolean {
    const k = this.key(kind, environment, subject);
    const n = (this.daily.get(k) ?? 0) + 1;
    this.daily.set(k, n);
    return n <= this.limits[kind];
  }

  /** Calls made today. */
  used(kind: DailyQuota, environment: string, subject: string): number {
    return this.daily.get(this.key(kind, environment, subject)) ?? 0;
  }

  /** Counts one call against the per-minute limit (minutes of the sandbox clock). */
  takeMinute(): boolean {
    const minute = Math.floor(this.clock.now().getTime() / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.minuteCount = 0;
    }
    this.minuteCount++;
    return this.minuteCount <= this.limits.perMinute;
  }

  reset(): void {
    this.daily.clear();
    this.minuteCount = 0;
  }
}
