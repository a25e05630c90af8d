/**
 * The engine and ANAF OAuth together: a company whose profile has no token yet keeps its
 * invoices queued (never a suspected upload), and once a person logs in they go through with the
 * profile's token — the sandbox accepting only tokens it issued, expiring on the moved clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/adapters/clock/manual-clock.js';
import { makeCif } from '../src/domain/cif.js';
import { buildSampleInvoice } from '../src/sandbox/anaf/sample-invoice.js';
import { encryptForPartnerKey } from '../src/secrets/partner-key.js';
import { certificatePasswordName } from '../src/secrets/names.js';
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

  it('a company registered through the API uses the OAuth profile named there (the store), and takes its certificate password encrypted with its partner key', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 9, 0, 0));
    t = await startTestRuntime({
      clock,
      http: true,
      config: { companies: [] },
      sandbox: { tokens: {}, oauth: { clients: { 'api-client': { secret: 'api-secret-0123456789' } } } },
    });
    const runtime = t.runtime;
    const api = `${runtime.apiUrl}/api/v1`;
    const json = { 'content-type': 'application/json' };
    const cif = makeCif('2468024');
    const created = await fetch(`${api}/companies`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ cif: `RO${cif}`, shortName: 'PARTNER', name: 'Partner Client SRL', oauthProfile: 'partner' }),
    });
    expect(created.status).toBe(201);
    const { partnerKey, oauthProfile } = (await created.json()) as { partnerKey: string; oauthProfile: string };
    expect(oauthProfile).toBe('partner');
    expect(partnerKey).toMatch(/^[A-Za-z0-9]{32}$/);

    const password = await fetch(`${api}/companies/${cif}/certificate-password`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ password: encryptForPartnerKey(partnerKey, 'pfx-parola'), encryption: 'aes-256-gcm' }),
    });
    expect(password.status).toBe(200);
    expect(await runtime.oauth.vault.get(certificatePasswordName(cif))).toBe('pfx-parola');

    const xml = buildSampleInvoice({ supplierCif: cif, buyerCif: '8609468', id: 'PARTNER 1', issueDate: '2026-11-20' });
    const submitted = await fetch(`${api}/companies/${cif}/invoices`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: number };
    // The store's profile is the one asked for: it has no tokens yet, so the invoice waits.
    // The engine finds the new company at its next rescan (every 5 s of the moved clock).
    const ticking = setInterval(() => clock.advance(1000), 5);
    let held;
    try {
      held = await t.waitFor(id, (i) => (i.lastError ?? '').includes('PLATFORM_AUTH'), 'held for a login');
    } finally {
      clearInterval(ticking);
    }
    expect(held.lastError).toMatch(new RegExp(`no ANAF access token for company ${cif}: no OAuth profile named partner`));

    await runtime.oauth.service.saveProfile({ name: 'partner', clientId: 'api-client', clientSecret: 'api-secret-0123456789', redirectUri: 'http://127.0.0.1:9/cb' });
    const start = await runtime.oauth.service.beginLogin('partner', cif);
    const back = new URL((await fetch(start.url, { redirect: 'manual' })).headers.get('location')!);
    await runtime.oauth.service.completeLogin(Object.fromEntries(back.searchParams));
    const status = (await (await fetch(`${api}/auth/status?company=${cif}`)).json()) as { profiles: Array<{ name: string; companies: string[] }> };
    expect(status.profiles).toEqual([expect.objectContaining({ name: 'partner', companies: [cif] })]);

    clock.advance(16 * 60_000);
    runtime.engine.wake();
    const timer = setInterval(() => clock.advance(1000), 5);
    try {
      await t.waitFor(id, (i) => i.status === 'downloaded', 'downloaded with the profile token');
    } finally {
      clearInterval(timer);
    }
    expect(runtime.oauth.service.tokenReads.cached).toBeGreaterThan(0);
  }, 90_000);
});
