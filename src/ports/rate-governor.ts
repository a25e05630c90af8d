import type { AnafEndpoint, CallContext } from './platform.js';
import type { EfactError } from '../domain/errors.js';

/** A platform call about to be made, as the governor sees it. */
export interface GovernedCall {
  endpoint: AnafEndpoint;
  context: CallContext;
  /** The message the call concerns: upload id for stareMesaj, download id for descarcare. */
  messageId?: string;
  /** For uploads: RASP uploads have their own daily quota. */
  standard?: string;
}

export interface QuotaUse {
  scope: string;
  used: number;
  limit: number;
  /** When the scope's window rolls over. */
  resetsAt: Date;
  /** Paused because the platform itself answered with a quota message. */
  pausedByPlatform: boolean;
}

export interface GovernorSnapshot {
  callsThisMinute: number;
  perMinuteLimit: number;
  quotas: QuotaUse[];
}

/**
 * The one gate every platform call passes (ARCHITECTURE rule 3): pacing, the per-minute budget
 * and the daily quotas. Shared by all instances using the same credentials (PostgreSQL later).
 */
export interface RateGovernor {
  /**
   * Waits for pacing and the per-minute budget, then counts the call. Throws an EfactError of
   * kind 'quota' (with retryAt) at once when a daily quota is used up or the platform paused it.
   */
  acquire(call: GovernedCall, signal?: AbortSignal): Promise<void>;
  /** The platform answered with a quota message: stop that scope until it rolls over. */
  reportQuota(call: GovernedCall, error: EfactError): void;
  /** Until when the call's scope is paused by a quota (daily or platform-reported), or null. Counts nothing. */
  isPaused(call: GovernedCall): Date | null;
  snapshot(): GovernorSnapshot;
}

/**
 * Where a governor that counts in memory keeps ANAF's daily quota counts, so that a restart
 * does not forget what the ANAF day has spent (the SQLite store; table governor_daily).
 */
export interface QuotaDayStore {
  /** The counts of one platform and ANAF day (YYYY-MM-DD, Bucharest). */
  loadQuotaDay(platformKey: string, day: string): Promise<Array<{ scopeKey: string; used: number }>>;
  /** Records a scope's count for the day; a stored count never goes down. */
  saveQuotaCount(platformKey: string, day: string, scopeKey: string, used: number): Promise<void>;
}
