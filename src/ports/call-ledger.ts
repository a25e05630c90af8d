import type { Environment } from '../domain/company.js';
import type { ErrorKind } from '../domain/errors.js';

/** One platform call, as written to the ledger. */
export interface PlatformCallRecord {
  at: Date;
  instance: string;
  platform: 'anaf' | 'fina';
  environment: Environment;
  endpoint: string;
  companyCif: string;
  invoiceId: number | null;
  /** null when no HTTP answer came (dropped connection, timeout). */
  httpStatus: number | null;
  durationMs: number;
  outcome: 'ok' | ErrorKind;
  /** The platform's message for failures. */
  message: string | null;
}

/** Receives every platform call; the store persists them in batches. */
export interface CallLedger {
  record(call: PlatformCallRecord): void;
}
