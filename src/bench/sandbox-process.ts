/**
 * A sandbox in its own process for the benchmarks, so ANAF's side of the work does not share
 * Efact's event loop (the real ANAF does not run on the server's CPU either). Prints its URL as
 * one JSON line; stops when its parent closes stdin or sends SIGTERM.
 *
 * EFACT_BENCH_SANDBOX (JSON, optional): `perMinute` (default: no practical limit) and `clock`
 * (a ScaledClockSpec, so the sandbox keeps the same accelerated time as the instances). A line
 * `counters` on stdin is answered with one JSON line (SandboxReport) of the sandbox's own counts.
 */
import { createInterface } from 'node:readline';
import { startAnafSandbox } from '../sandbox/anaf/server.js';
import { BenchScaledClock, type ScaledClockSpec } from './scaled-clock.js';

export interface SandboxReport {
  totalCalls: number;
  calls: Record<string, number>;
  quotaAnswers: Record<string, number>;
  duplicateUploads: number;
  /** Calls counted against the per-minute limit, per minute of the sandbox clock (epoch minute → calls). */
  perMinute: Record<string, number>;
  /** Of those, the ones refused with the per-minute quota answer. */
  refusedPerMinute: Record<string, number>;
}

const unlimited = 1_000_000_000;
const options = JSON.parse(process.env.EFACT_BENCH_SANDBOX ?? '{}') as { perMinute?: number; clock?: ScaledClockSpec };
const clock = options.clock ? new BenchScaledClock(options.clock) : undefined;
const sandbox = await startAnafSandbox({ processingDelayMs: 0, quotas: { perMinute: options.perMinute ?? unlimited }, ...(clock ? { clock } : {}) });

// Every call that meets the per-minute limit, tallied by the sandbox clock's minute: what the
// limit itself sees, so the bench can report whole minutes exactly.
const perMinute: Record<string, number> = {};
const refusedPerMinute: Record<string, number> = {};
const takeMinute = sandbox.quotas.takeMinute.bind(sandbox.quotas);
sandbox.quotas.takeMinute = (): boolean => {
  const minute = String(Math.floor(sandbox.clock.now().getTime() / 60_000));
  perMinute[minute] = (perMinute[minute] ?? 0) + 1;
  const taken = takeMinute();
  if (!taken) refusedPerMinute[minute] = (refusedPerMinute[minute] ?? 0) + 1;
  return taken;
};

process.stdout.write(`${JSON.stringify({ url: sandbox.url })}\n`);
const stop = (): void => {
  void sandbox.close().then(() => process.exit(0));
};
const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (line.trim() !== 'counters') return;
  const c = sandbox.counters;
  const report: SandboxReport = {
    totalCalls: c.totalCalls(),
    calls: c.calls as Record<string, number>,
    quotaAnswers: c.quotaAnswers as Record<string, number>,
    duplicateUploads: c.duplicateUploads().length,
    perMinute,
    refusedPerMinute,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
});
input.on('close', stop);
process.once('SIGTERM', stop);
