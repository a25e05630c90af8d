import type { Archive } from '../ports/archive.js';
import type { Clock } from '../ports/clock.js';
import type { AnafConnector } from '../ports/platform.js';
import type { Store } from '../ports/store.js';

export interface EngineSettings {
  /** Uploads / downloads in flight at once. */
  concurrency: number;
  /** Invoices claimed for upload per pass. */
  uploadBatch: number;
  /** Least time between two status passes while invoices wait at the platform. */
  passIntervalMs: number;
  /** The manuals' MinuteTimeOut. */
  idleBackoffMs: number;
  /** The manuals' ZileBefore: invoices older than this are no longer tracked. */
  windowDays: number;
  /** How long an uncertain upload is searched for before a person is asked. */
  uncertainGraceMs: number;
  /** How often an idle company looks for new queued invoices written by other processes (CLI). */
  pollIntervalMs: number;
  /** First retry delay after a transient failure; doubles per attempt up to 15 minutes. */
  retryBaseMs: number;
  /** A processing invoice missing from the lists this long gets a per-invoice status query. */
  statusFallbackMs: number;
  /**
   * How far each message-list window reaches back before the previous one's end, for messages
   * that become visible late or clocks that disagree. Longer is safer and costs list pages.
   */
  listOverlapMs: number;
  /**
   * The idle back-off needs two passes without change *and* this long without any change, so
   * passes that follow each other closely (fast pacing) do not trigger it on their own.
   */
  idleQuietMs: number;
  /**
   * How long a claimed answer download stays this instance's: longer than a download can take
   * (governor wait + request timeout), short enough that a dead instance's claims come back soon.
   */
  downloadLeaseMs: number;
  /**
   * How long the instance that lists a company's messages (and learns its outcomes) keeps that
   * job without renewing it; past it another instance takes over.
   */
  listLeaseMs: number;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  concurrency: 4,
  uploadBatch: 100,
  passIntervalMs: 10_000,
  idleBackoffMs: 5 * 60_000,
  windowDays: 60,
  uncertainGraceMs: 60 * 60_000,
  pollIntervalMs: 1_000,
  retryBaseMs: 30_000,
  statusFallbackMs: 15 * 60_000,
  listOverlapMs: 10_000,
  idleQuietMs: 20_000,
  downloadLeaseMs: 3 * 60_000,
  listLeaseMs: 60_000,
};

export interface EngineLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: EngineLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Everything a pass needs, passed as plain arguments (no globals). */
export interface EngineContext {
  store: Store;
  connector: AnafConnector;
  archive: Archive;
  clock: Clock;
  instance: string;
  settings: EngineSettings;
  log: EngineLogger;
}

/** Exponential back-off for transient failures. */
export function retryDelayMs(settings: EngineSettings, attempts: number): number {
  return Math.min(15 * 60_000, settings.retryBaseMs * 2 ** Math.max(0, attempts - 1));
}
