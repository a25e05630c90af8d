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
