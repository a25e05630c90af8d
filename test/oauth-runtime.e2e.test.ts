/**
 * The engine and ANAF OAuth together: a company whose profile has no token yet keeps its
 * invoices queued (never a suspected upload), and once a person logs in they go through with the
 * profile's token — the sandbox accepting only tokens it issued, expiring on the moved clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/adapters/clock/manual-clock.js';
import { CIF, sampleInvoice, startTestRuntime, type TestRuntime } from './helpers/runtime.js';

let t: TestRuntime | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('engine with ANAF OAuth', () => {
  it('holds invoices until a login, then sends them with the profile token, refreshing it when due', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 9, 0, 0));
    t = await startTestRuntime({
      clock,
      config: { companies: [{ cif: CIF, shortName: 'TEST', name: 'Test Company SRL', environment: 'test', oauthProfile: 'main' }] },
      sandbox: { tokens: {}, oauth: { clients: { 'rt-client': { secret: 'rt-secret-0123456789' } } } },
    });
    const runtime = t.runtime;
    const inv = await t.submit(sampleInvoice('OA-1'));
    const held = await t.waitFor(inv.id, (i) => i.status === 'queued' && (i.lastError ?? '').includes('PLATFORM_AUTH'), 'held for a login');
    expect(held.lastError).toMatch(/no ANAF access token for company 8000000000: no OAuth profile named main/);
    expect((await runtime.store.listAttempts(inv.id)).map((a) => a.outcome)).toEqual(['not-sent']);
    expect(runtime.sandbox!.counters.totalCalls()).toBe(0);

    // A person logs in (the in-process sandbox's OAuth asks for no certificate).
    await runtime.oauth.service.saveProfile({ name: 'main', clientId: 'rt-client', clientSecret: 'rt-secret-0123456789', redirectUri: 'http://127.0.0.1:9/cb' });
    const start = await runtime.oauth.service.beginLogin('main', CIF);
    const back = new URL((await fetch(start.url, { redirect: 'manual' })).headers.get('location')!);
    await runtime.oauth.service.completeLogin(Object.fromEntries(back.searchParams));

    clock.advance(16 * 60_000);
    runtime.engine.wake();
    // Time flows (a second every few milliseconds) so that ANAF's answer comes and is listed.
    let timer = setInterval(() => clock.advance(1000), 5);
    try {
      await t.waitFor(inv.id, (i) => i.status === 'downloaded', 'downloaded');
    } finally {
      clearInterval(timer);
    }

    // Two months on, the refresher renews the token ahead of expiry and invoices still go through.
    const before = runtime.sandbox!.oauth.issuer.granted.refresh_token;
    clock.advance(61 * 86400_000);
    await runtime.oauth.refreshDue();
    expect(runtime.sandbox!.oauth.issuer.granted.refresh_token).toBe(before + 1);
    const second = await t.submit(sampleInvoice('OA-2'));
    timer = setInterval(() => clock.advance(1000), 5);
    try {
      await t.waitFor(second.id, (i) => i.status === 'downloaded', 'downloaded after the refresh');
    } finally {
      clearInterval(timer);
    }
    expect((await runtime.oauth.service.status('main')).accessDaysLeft).toBeGreaterThanOrEqual(89);
  });
});
