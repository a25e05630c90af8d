/**
 * What tests and benchmarks count: calls per endpoint, quota answers given, faults injected,
 * and accepted uploads per (environment, cif, invoice id) — the proof that nothing was filed twice.
 */
import type { Environment } from '../../domain/company.js';
import type { AnafEndpoint } from '../../ports/platform.js';
import type { DailyQuota } from './quotas.js';

export type SandboxEndpoint = AnafEndpoint | 'oauth';
export type QuotaAnswerKind = DailyQuota | 'perMinute';
export type FaultKind = 'error' | 'drop' | 'malformed' | 'firewall' | 'quota' | 'latency' | 'hang';

export interface UploadCount {
  environment: Environment;
  cif: string;
  /** The invoice's cbc:ID (series and number). */
  invoiceId: string;
  count: number;
}

type Tally<K extends string> = Partial<Record<K, number>>;

function bump<K extends string>(tally: Tally<K>, key: K): void {
  tally[key] = (tally[key] ?? 0) + 1;
}

export class SandboxCounters {
  /** Requests received per endpoint (faulted ones included). */
  readonly calls: Tally<SandboxEndpoint> = {};
  /** Quota answers given, per limit (injected ones are counted under `faults.quota`). */
  readonly quotaAnswers: Tally<QuotaAnswerKind> = {};
  readonly faults: Tally<FaultKind> = {};
  private readonly uploads = new Map<string, UploadCount>();

  countCall(endpoint: SandboxEndpoint): void {
    bump(this.calls, endpoint);
  }

  countQuotaAnswer(kind: QuotaAnswerKind): void {
    bump(this.quotaAnswers, kind);
  }

  countFault(kind: FaultKind): void {
    bump(this.faults, kind);
  }

  /** One upload taken in (ExecutionStatus=0) for this invoice. */
  countUpload(environment: Environment, cif: string, invoiceId: string): void {
    const key = JSON.stringify([environment, cif, invoiceId]);
    const entry = this.uploads.get(key) ?? { environment, cif, invoiceId, count: 0 };
    entry.count++;
    this.uploads.set(key, entry);
  }

  callsTo(endpoint: SandboxEndpoint): number {
    return this.calls[endpoint] ?? 0;
  }

  totalCalls(): number {
    return Object.values(this.calls).reduce<number>((a, b) => a + (b ?? 0), 0);
  }

  uploadsOf(environment: Environment, cif: string, invoiceId: string): number {
    return this.uploads.get(JSON.stringify([environment, cif, invoiceId]))?.count ?? 0;
  }

  allUploads(): UploadCount[] {
    return [...this.uploads.values()].map((u) => ({ ...u }));
  }

  /** Invoices taken in more than once in the same environment. */
  duplicateUploads(): UploadCount[] {
    return this.allUploads().filter((u) => u.count > 1);
  }

  reset(): void {
    for (const t of [this.calls, this.quotaAnswers, this.faults] as Tally<string>[]) {
      for (const k of Object.keys(t)) delete t[k];
    }
    this.uploads.clear();
  }
}
