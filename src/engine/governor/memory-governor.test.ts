import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../adapters/clock/manual-clock.js';
import { EfactError } from '../../domain/errors.js';
import type { GovernedCall } from '../../ports/rate-governor.js';
import { fromBucharest, nextAnafDayStart } from '../../adapters/anaf/time.js';
import { MemoryRateGovernor } from './memory-governor.js';
import { expectQuota } from './testing/quota.js';
import { ANAF_PUBLISHED_LIMITS } from '../../adapters/anaf/limits.js';

const ctx = { environment: 'test' as const, companyCif: '8000000000' };
const status = (id: string): GovernedCall => ({ endpoint: 'stareMesaj', context: ctx, messageId: id });
const download = (id: string): GovernedCall => ({ endpoint: 'descarcare', context: ctx, messageId: id });

describe('MemoryRateGovernor', () => {
  it('refuses the 11th download of one message in an ANAF day and allows it after Bucharest midnight', async () => {
    // 23:30 in Bucharest
    const clock = new ManualClock(fromBucharest(2026, 11, 23, 23, 30));
    const g = new MemoryRateGovernor({ clock, limits: ANAF_PUBLISHED_LIMITS, pacingMs: 0 });
    for (let i = 0; i < 10; i++) await g.acquire(download('3001'));
    const err = await expectQuota(g.acquire(download('3001')));
    expect(err.retryAt?.toISOString()).toBe(nextAnafDayStart(clock.now()).toISOString());
    // another message is not affected
    await g.acquire(download('3002'));
    clock.advance(31 * 60_000); // past midnight in Bucharest
    await g.acquire(download('3001'));
  });

  it('applies head-room to daily limits', async () => {
    const clock = new ManualClock();
    const g = new MemoryRateGovernor({ clock, limits: { ...ANAF_PUBLISHED_LIMITS, headroom: 0.8 }, pacingMs: 0 });
    for (let i = 0; i < 80; i++) await g.acquire(status('5001'));
    await expectQuota(g.acquire(status('5001')));
  });

  it('waits for the per-minute budget instead of exceeding it', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 10), true);
    const g = new MemoryRateGovernor({ clock, limits: { ...ANAF_PUBLISHED_LIMITS, perMinute: 5 }, pacingMs: 0 });
    const start = clock.now().getTime();
    for (let i = 0; i < 12; i++) await g.acquire({ endpoint: 'upload', context: ctx, standard: 'UBL' });
    // 12 calls at 5 per minute: the 11th and 12th could only start two minutes in
    expect(clock.now().getTime() - start).toBeGreaterThanOrEqual(2 * 60_000);
  });

  it('keeps the pacing gap between calls (SecundeNext)', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 10), true);
    const g = new MemoryRateGovernor({ clock, limits: ANAF_PUBLISHED_LIMITS, pacingMs: 2000 });
    const start = clock.now().getTime();
    for (let i = 0; i < 4; i++) await g.acquire({ endpoint: 'upload', context: ctx, standard: 'UBL' });
    expect(clock.now().getTime() - start).toBe(6000);
  });

  it('obeys a quota answer from the platform until the scope rolls over', async () => {
    const clock = new ManualClock(fromBucharest(2026, 11, 23, 12, 0));
    const g = new MemoryRateGovernor({ clock, limits: ANAF_PUBLISHED_LIMITS, pacingMs: 0 });
    const list: GovernedCall = { endpoint: 'listaMesajeFactura', context: ctx };
    await g.acquire(list);
    g.reportQuota(list, new EfactError('PLATFORM_QUOTA', 'quota', { platformMessage: 'S-au facut deja 1500 interogari' }));
    await expectQuota(g.acquire(list));
    expect(g.isPaused(list)).not.toBeNull();
    // the paginated list is another scope
    await g.acquire({ endpoint: 'listaMesajePaginatieFactura', context: ctx });
    expect(g.snapshot().quotas.some((q) => q.pausedByPlatform)).toBe(true);
    clock.set(nextAnafDayStart(clock.now()));
    await g.acquire(list);
  });

  it('pauses every call for a minute on HTTP 429', async () => {
    const clock = new ManualClock();
    const g = new MemoryRateGovernor({ clock, limits: ANAF_PUBLISHED_LIMITS, pacingMs: 0 });
    g.reportQuota(status('1'), new EfactError('PLATFORM_QUOTA', 'too many', { httpStatus: 429 }));
    await expectQuota(g.acquire(download('9')));
    clock.advance(60_001);
    await g.acquire(download('9'));
  });

  it('counts RASP uploads per CUI but not ordinary invoice uploads', async () => {
    const clock = new ManualClock();
    const g = new MemoryRateGovernor({ clock, limits: { ...ANAF_PUBLISHED_LIMITS, raspUploadsPerCuiPerDay: 2 }, pacingMs: 0 });
    for (let i = 0; i < 5; i++) await g.acquire({ endpoint: 'upload', context: ctx, standard: 'UBL' });
    await g.acquire({ endpoint: 'upload', context: ctx, standard: 'RASP' });
    await g.acquire({ endpoint: 'upload', context: ctx, standard: 'RASP' });
    await expectQuota(g.acquire({ endpoint: 'upload', context: ctx, standard: 'RASP' }));
  });
});
