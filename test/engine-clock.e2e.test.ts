/**
 * Time-driven behaviour with a clock the test moves: the idle back-off (MinuteTimeOut), quota
 * answers obeyed until ANAF's day rolls over, and an upload interrupted by a crash.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/adapters/clock/manual-clock.js';
import { fromBucharest } from '../src/adapters/anaf/time.js';
import { CIF, sampleInvoice, startTestRuntime, type TestRuntime } from './helpers/runtime.js';
import { waitFor } from './helpers/wait.js';

let t: TestRuntime | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

/** Lets time flow on a manual clock (one second every few real milliseconds) until stopped. */
function tick(clock: ManualClock, stepMs = 1000): () => void {
  const timer = setInterval(() => clock.advance(stepMs), 5);
  return () => clearInterval(timer);
}

const calls = (t: TestRuntime): number => t.runtime.sandbox!.counters.totalCalls();

describe('engine with a moved clock', () => {
  it('rests for MinuteTimeOut after two passes without change, shows it, and resumes on request', async () => {
    const clock = new ManualClock(fromBucharest(2026, 11, 23, 10, 0));
    t = await startTestRuntime({
      clock,
      sandbox: { processingDelayMs: 10 * 60_000 },
      engine: { idleBackoffMs: 5 * 60_000, idleQuietMs: 0 },
    });
    const inv = await t.submit(sampleInvoice('IDLE1'));
    // time flows slowly (20 ms per 5 ms): passes happen, ANAF's ten minutes do not pass
    const stopSlow = tick(clock, 20);
    try {
      await t.waitFor(inv.id, (i) => i.status === 'processing', 'processing');
      await waitFor('back-off', () => t!.runtime.engine.states()[0]?.phase === 'backoff', 10_000, 10);
      const state = t.runtime.engine.states()[0]!;
      const rest = state.backoffUntil!.getTime() - state.lastPassAt!.getTime();
      expect(rest).toBeGreaterThanOrEqual(5 * 60_000);
      expect(rest).toBeLessThan(5 * 60_000 + 1000);
      // resting means no calls at all
      const before = calls(t);
      await new Promise((r) => setTimeout(r, 300));
      expect(calls(t)).toBe(before);
      expect(t.runtime.engine.states()[0]!.phase).toBe('backoff');
      // "resume now" makes it look again at once (and rest again: ANAF is still processing)
      t.runtime.engine.resume();
      await waitFor('a new pass', () => calls(t!) > before, 10_000, 10);
      await waitFor('back-off again', () => t!.runtime.engine.states()[0]?.phase === 'backoff', 10_000, 10);
    } finally {
      stopSlow();
    }
    // ten minutes later ANAF has decided and the back-off is over
    clock.advance(10 * 60_000);
    const stop = tick(clock);
    await t.waitFor(inv.id, (i) => i.status === 'downloaded', 'downloaded').finally(stop);
  });

  it('obeys a download quota answer until ANAF\'s next day, without hammering', async () => {
    const clock = new ManualClock(fromBucharest(2026, 11, 23, 22, 0));
    t = await startTestRuntime({ clock, engine: { idleQuietMs: 0 } });
    const sandbox = t.runtime.sandbox!;
    sandbox.quotas.limits.download = 0; // ANAF answers "S-au facut deja ... descarcari ... in cursul zilei"
    const inv = await t.submit(sampleInvoice('QUOTA1'));
    // (nextAttemptAt alone is no sign: a claimed download holds its lease there)
    const stopTicking = tick(clock);
    const ok = await t.waitFor(inv.id, (i) => i.status === 'ok' && i.lastError !== null, 'ok, waiting for the quota').finally(stopTicking);
    expect(ok.nextAttemptAt!.toISOString()).toBe(fromBucharest(2026, 11, 24).toISOString());
    expect(ok.lastError).toMatch(/S-au facut deja/);
    expect(sandbox.counters.quotaAnswers.download).toBe(1);
    expect(t.runtime.governor.snapshot().quotas.some((q) => q.pausedByPlatform)).toBe(true);
    // time passes within the same ANAF day: no new download attempt
    for (let i = 0; i < 5; i++) {
      clock.advance(10 * 60_000);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sandbox.counters.callsTo('descarcare')).toBe(1);
    // ANAF's day rolls over at Bucharest midnight
    sandbox.quotas.limits.download = 10;
    clock.set(fromBucharest(2026, 11, 24, 0, 1));
    t.runtime.engine.wake();
    const stop = tick(clock);
    await t.waitFor(inv.id, (i) => i.status === 'downloaded', 'downloaded').finally(stop);
    expect(sandbox.counters.callsTo('descarcare')).toBe(2);
  });
});

describe('crash safety', () => {
  it('reconciles an upload that was sent before a crash instead of sending it again', async () => {
    // First life: the invoice is claimed, marked sending (write-ahead) and sent, then the
    // process "dies" before the answer is recorded.
    t = await startTestRuntime({ startEngine: false });
    const inv = await t.submit(sampleInvoice('CRASH1'));
    const company = (await t.runtime.store.getCompanyByCif(CIF))!;
    const [claim] = await t.runtime.store.claimForUpload(company.id, 'test', 1, new Date(), { instance: '1', cause: 'upload-claimed' });
    expect(claim!.attempt.outcome).toBe('claimed');
    expect(await t.runtime.store.markAttemptSending(claim!.attempt.id, new Date())).toBe(true);
    const res = await fetch(`${t.runtime.sandbox!.url}/test/FCTEL/rest/upload?standard=UBL&cif=${CIF}`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-token', 'content-type': 'text/plain' },
      body: sampleInvoice('CRASH1'),
    });
    expect(await res.text()).toContain('ExecutionStatus="0"');
    // Second life: the engine starts, finds the interrupted attempt and looks it up at ANAF.
    await t.runtime.engine.start();
    const done = await t.waitFor(inv.id, (i) => i.status === 'downloaded', 'downloaded');
    expect(t.runtime.sandbox!.counters.uploadsOf('test', CIF, 'CRASH1')).toBe(1);
    const attempts = await t.runtime.store.listAttempts(done.id);
    expect(attempts.map((a) => a.outcome)).toEqual(['reconciled']);
  });
});
