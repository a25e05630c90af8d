/**
 * One Efact instance of the scale-out bench, as a process of its own (forked with an IPC
 * channel): what `efact serve` runs (startRuntime), plus what the bench needs and the CLI does
 * not offer — a shared accelerated clock, and the claim timings measured inside the store.
 *
 * argv[2]: BenchInstanceSpec as JSON. Messages to the parent: {ready}, then, after {stop},
 * {stopped, claims} once the runtime has stopped; then the process exits.
 */
import { loadConfig } from '../config/load.js';
import { silentLogger } from '../engine/context.js';
import type { EngineSettings } from '../engine/context.js';
import { startRuntime } from '../server/runtime.js';
import { observeClaims } from '../adapters/store/claim-metrics.js';
import { BenchScaledClock, type ScaledClockSpec } from './scaled-clock.js';

export interface BenchInstanceSpec {
  /** Configuration overrides, as a configuration file would give them. */
  config: Record<string, unknown>;
  engineOverrides: Partial<EngineSettings>;
  clock?: ScaledClockSpec;
}

export type BenchInstanceMessage =
  | { type: 'ready' }
  | { type: 'stopped'; claims: { ms: number[]; claimed: number } }
  | { type: 'failed'; error: string };

const send = (m: BenchInstanceMessage): void => void process.send?.(m);

try {
  const spec = JSON.parse(process.argv[2] ?? '') as BenchInstanceSpec;
  const claimMs: number[] = [];
  let claimed = 0;
  observeClaims((s) => {
    if (s.kind !== 'upload') return; // the bench reports upload claim latency
    claimMs.push(s.ms);
    claimed += s.claimed;
  });
  const runtime = await startRuntime({
    config: loadConfig({ env: {}, overrides: spec.config }),
    log: silentLogger,
    http: false,
    engineOverrides: spec.engineOverrides,
    ...(spec.clock ? { clock: new BenchScaledClock(spec.clock) } : {}),
  });
  process.on('message', (m: { type?: string }) => {
    if (m.type !== 'stop') return;
    void runtime.stop().then(() => {
      send({ type: 'stopped', claims: { ms: claimMs, claimed } });
      process.disconnect?.();
      process.exit(0);
    });
  });
  send({ type: 'ready' });
} catch (e) {
  send({ type: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
}
