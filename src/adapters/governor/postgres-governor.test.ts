import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock.js';
import { EfactError } from '../../domain/errors.js';
import type { GovernedCall } from '../../ports/rate-governor.js';
import { ANAF_PUBLISHED_LIMITS, type CallLimits } from '../anaf/limits.js';
import { fromBucharest } from '../anaf/time.js';
import { openPostgresStore } from '../store/postgres.js';
import { credentialsIdentity, platformIdentity, PostgresRateGovernor } from './postgres-governor.js';
import { newTestSchema } from '../store/testing/pg-schemas.js';
import { expectQuota } from '../../engine/governor/testing/quota.js';
import { waitFor } from '../../../test/helpers/wait.js';

/** The shared governor against a real PostgreSQL (EFACT_TEST_PG_URL); each test gets a schema of its own. */
const url = process.env.EFACT_TEST_PG_URL;
if (!url) console.warn('PostgreSQL rate governor tests skipped: EFACT_TEST_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)');

const ctx = { environment: 'test' as const, companyCif: '8000000000' };
const upload: GovernedCall = { endpoint: 'upload', context: ctx, standard: 'UBL' };
const download = (id: string): GovernedCall => ({ endpoint: 'descarcare', context: ctx, messageId: id });
const list: GovernedCall = { endpoint: 'listaMesajeFactura', context: ctx };
const API = 'https://api.anaf.ro/test/FCTEL/rest';

async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 150));
}

describe.skipIf(!url)('PostgresRateGovernor (shared by instances)', () => {
  const schemas: string[] = [];
  const governors: PostgresRateGovernor[] = [];

  afterEach(async () => {
    for (const g of governors.splice(0)) await g.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const s of schemas.splice(0)) await client.query(`drop schema if exists "${s}" cascade`);
    } finally {
      await client.end();
    }
  });

  async function freshSchema(): Promise<string> {
    const schema = newTestSchema();
    schemas.push(schema);
    const store = await openPostgresStore({ url: url!, schema, poolSize: 1 });
    await store.close();
    return schema;
  }

  function governor(schema: string, clock: ManualClock, limits: Partial<CallLimits> = {}, instance = '1'): PostgresRateGovernor {
    const g = new PostgresRateGovernor({
      url: url!,
      schema,
      clock,
      limits: { ...ANAF_PUBLISHED_LIMITS, ...limits },
      pacingMs: 0,
      budgetKey: credentialsIdentity(API, 'token-A'),
      platformKey: platformIdentity(API),
      instance,
      poolSize: 2,
    });
    governors.push(g);
    return g;
  }

  it('never grants more than the per-minute limit to three instances calling at once', async () => {
    const schema = await freshSchema();
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 10, 0, 0));
    const gs = [1, 2, 3].map((i) => governor(schema, clock, { perMinute: 50 }, String(i)));
    let granted = 0;
    const all = gs.flatMap((g) => Array.from({ length: 40 }, () => g.acquire(upload).then(() => void granted++)));
    await waitFor('50 grants', () => granted === 50, 5_000);
    await settle();
    expect(granted).toBe(50);
    const snap = await gs[0]!.sharedSnapshot();
    expect(snap.callsThisMinute).toBe(50);
    // The next minute grants the next 50, then the last 20.
    clock.advance(60_000);
    await waitFor('100 grants', () => granted === 100, 5_000).catch((e) => { throw new Error(String(e) + ' granted=' + granted); });
    await settle();
    expect(granted).toBe(100);
    clock.advance(60_000);
    await Promise.all(all);
    expect(granted).toBe(120);
  });

  it('does not spend an already leased slot in the last moments of a minute (the call would count in the next)', async () => {
    const schema = await freshSchema();
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 10, 0, 0));
    const g = governor(schema, clock, { perMinute: 1000 });
    // A slot leased but not spent: the 11th download of one message is refused by its daily
    // quota after the slot was taken, and the slot goes back to this instance's slice.
    for (let i = 0; i < 10; i++) await g.acquire(download('3002'));
    await expectQuota(g.acquire(download('3002')));
    expect((await g.sharedSnapshot()).callsThisMinute).toBe(11);
    clock.advance(60_000 - 100); // 100 ms before 10:01, inside the 300 ms guard
    let granted = false;
    const next = g.acquire(upload).then(() => void (granted = true));
    await settle();
    expect(granted).toBe(false);
    clock.advance(100);
    await next; // granted from a slice of 10:01
    expect(granted).toBe(true);
  });

  it('leases no more than an instance has callers for, so a quiet instance strands nothing of the minute', async () => {
    const schema = await freshSchema();
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 10, 0, 0));
    const [quiet, busy] = [governor(schema, clock, { perMinute: 50 }, '1'), governor(schema, clock, { perMinute: 50 }, '2')];
    await Promise.all(Array.from({ length: 3 }, () => quiet!.acquire(upload)));
    expect((await quiet!.sharedSnapshot()).callsThisMinute).toBe(3);
    let granted = 0;
    const all = Array.from({ length: 60 }, () => busy!.acquire(upload).then(() => void granted++));
    await waitFor('47 grants', () => granted === 47, 5_000);
    await settle();
    expect(granted).toBe(47);
    clock.advance(60_000);
    await Promise.all(all);
  });

  it('keeps the configured head-room of the per-minute limit', async () => {
    const schema = await freshSchema();
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 10, 0, 0));
    const [a, b] = [governor(schema, clock, { perMinute: 100, headroom: 0.8 }, '1'), governor(schema, clock, { perMinute: 100, headroom: 0.8 }, '2')];
    let granted = 0;
    const all = [a!, b!].flatMap((g) => Array.from({ length: 50 }, () => g.acquire(upload).then(() => void granted++)));
    await waitFor('80 grants', () => granted === 80, 5_000);
    await settle();
    expect(granted).toBe(80);
    clock.advance(60_000);
    await Promise.all(all);
  });

  it('counts per-message daily quotas across instances and rolls them over at Bucharest midnight', async () => {
    const schema = await freshSchema();
    const clock = new ManualClock(fromBucharest(2026, 11, 23, 23, 30));
    const [a, b] = [governor(schema, clock, {}, '1'), governor(schema, clock, {}, '2')];
    for (let i = 0; i < 6; i++) await a!.acquire(download('3001'));
    for (let i = 0; i < 4; i++) await b!.acquire(download('3001'));
    const err = await expectQuota(a!.acquire(download('3001')));
    expect(err.retryAt?.toISOString()).toBe(fromBucharest(2026, 11, 24).toISOString());
    await expectQuota(b!.acquire(download('3001')));
    await b!.acquire(download('3002')); // another message is not affected
    clock.advance(31 * 60_000); // 00:01 in Bucharest: a new ANAF day
    await a!.acquire(download('3001'));
    await b!.acquire(download('3001'));
  });

  it('counts concurrent per-CUI list calls exactly', async () => {
    const schema = await freshSchema();
    const clock = new ManualClock(fromBucharest(2026, 11, 23, 12, 0));
    const gs = [1, 2, 3].map((i) => governor(schema, clock, { simpleListPerCuiPerDay: 25 }, String(i)));
    const results = await Promise.allSettled(gs.flatMap((g) => Array.from({ length: 15 }, () => g.acquire(list))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(25);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.kind === 'quota')).toBe(true);
  });

  it('makes a quota answer reported by one instance pause that scope for all', async () => {
    const schema = await freshSchema();
    const clock = new ManualClock(fromBucharest(2026, 11, 23, 12, 0));
    const [a, b] = [governor(schema, clock, {}, '1'), governor(schema, clock, {}, '2')];
    await b!.acquire(list);
    a!.reportQuota(list, new EfactError('PLATFORM_QUOTA', 'S-au facut deja 1500 interogari', { platformMessage: 'S-au facut deja 1500 interogari' }));
    await a!.flush();
    await expectQuota(b!.acquire(list));
    expect(b!.isPaused(list)).not.toBeNull();
    await b!.acquire(upload); // other scopes go on
    // HTTP 429: every call of these credentials waits a minute, on every instance.
    a!.reportQuota(upload, new EfactError('PLATFORM_QUOTA', 'too many', { httpStatus: 429 }));
    await a!.flush();
    clock.advance(1_001); // past the time b trusts the pauses it last saw
    await expectQuota(b!.acquire(download('77')));
    expect(b!.snapshot().quotas.some((q) => q.pausedByPlatform && q.scope === 'all ANAF calls')).toBe(true);
    clock.advance(60_000);
    await b!.acquire(download('77'));
    // the list stays paused until ANAF's next day
    await expectQuota(b!.acquire(list));
    clock.set(fromBucharest(2026, 11, 24, 0, 1));
    await b!.acquire(list);
  });

  it('keys the minute budget by the credentials, never by the secret itself', () => {
    const a = credentialsIdentity(API, 'token-A');
    expect(a).not.toContain('token-A');
    expect(credentialsIdentity(API + '/', 'token-A')).toBe(a);
    expect(credentialsIdentity(API, 'token-B')).not.toBe(a);
    expect(platformIdentity('HTTPS://API.anaf.ro/prod/FCTEL/rest')).toBe(platformIdentity(API));
  });
});
