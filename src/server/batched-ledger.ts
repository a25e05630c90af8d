/**
 * Collects platform call records and writes them to the store in batches, so the ledger
 * costs one transaction per batch instead of one per call.
 */
import type { CallLedger, PlatformCallRecord } from '../ports/call-ledger.js';
import type { Store } from '../ports/store.js';

export class BatchedLedger implements CallLedger {
  private buffer: PlatformCallRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly maxBatch = 500,
    private readonly maxDelayMs = 500,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  record(call: PlatformCallRecord): void {
    this.buffer.push(call);
    if (this.buffer.length >= this.maxBatch) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.maxDelayMs);
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length > 0) {
      this.flushing = this.flushing.then(() => this.store.recordCalls(batch)).catch(this.onError);
    }
    return this.flushing;
  }
}
