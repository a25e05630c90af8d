import type { Environment } from '../domain/company.js';

/** What the engine is doing for one company, as shown by the API, the CLI and the dashboard. */
export interface CompanyEngineState {
  companyId: number;
  cif: string;
  environment: Environment;
  /** Start / Stop sending for the company. */
  sendingEnabled: boolean;
  /**
   * running: working through open invoices; idle: nothing open; backoff: two passes without any
   * change (the manuals' MinuteTimeOut), until `backoffUntil`; paused-quota: the platform said a
   * quota is used up, until `quotaPausedUntil`; stopped: sending disabled.
   */
  phase: 'running' | 'idle' | 'backoff' | 'paused-quota' | 'stopped';
  backoffUntil: Date | null;
  quotaPausedUntil: Date | null;
  lastPassAt: Date | null;
  lastChangeAt: Date | null;
  lastError: string | null;
}

/** The engine's controls, used by the API and the CLI. */
export interface EngineControl {
  states(): CompanyEngineState[];
  /** Ends an idle back-off now (the manuals' "resume"). */
  resume(companyId?: number): void;
  /** Wakes the engine: new work arrived. */
  wake(companyId?: number): void;
}
