import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../adapters/clock/manual-clock.js';
import { openSqliteStore } from '../../adapters/store/sqlite.js';
import type { SqlStore } from '../../adapters/store/sql-store.js';
import { addCompany, createInvoice, driveTo } from '../../adapters/store/suite/harness.js';
import type { AnafConnector, MessageListEntry } from '../../ports/platform.js';
import { DEFAULT_ENGINE_SETTINGS, silentLogger, type EngineContext } from '../context.js';
import { runStatusStep } from './status-step.js';

/** A platform whose lists answer every upload as accepted; records who listed. */
function listingPlatform(listedBy: string[], instance: string): AnafConnector {
  return new Proxy({} as AnafConnector, {
    get: (_t, name) => {
      if (name === 'listMessagesPaged') {
        return async (): Promise<MessageListEntry[]> => {
          listedBy.push(instance);
          return [];
        };
      }
      if (name === 'status') return async () => ({ state: 'processing' });
      return () => Promise.reject(new Error(`unexpected call ${String(name)}`));
    },
  });
}

describe('status step: one instance per company lists its messages', () => {
  const stores: SqlStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });

  it('only the holder of the company lease lists; another takes over when the holder stops renewing', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 9, 1, 30));
    const store = await openSqliteStore({ path: ':memory:', clock });
    stores.push(store);
    const company = await addCompany(store);
    const listedBy: string[] = [];
    const settings = { ...DEFAULT_ENGINE_SETTINGS, listLeaseMs: 60_000 };
    const ctx = (instance: string): EngineContext => ({
      store,
      connector: listingPlatform(listedBy, instance),
      archive: {} as never,
      clock,
      instance,
      settings,
      log: silentLogger,
    });
    const one = ctx('1');
    const two = ctx('2');
    const processing = async () => driveTo(store, await createInvoice(store, company.id), 'processing');

    await processing();
    expect((await runStatusStep(one, company)).waiting).toBe(1);
    expect(await runStatusStep(two, company)).toEqual({ changed: 0, waiting: 0, incoming: [] });
    clock.advance(30_000);
    await processing();
    await runStatusStep(two, company);
    await runStatusStep(one, company); // renews its lease
    expect(listedBy).toEqual(['1', '1']);

    // "1" stops (killed: no release); once its lease has run out, "2" lists.
    clock.advance(60_000);
    await processing();
    await runStatusStep(two, company);
    await runStatusStep(one, company);
    expect(listedBy).toEqual(['1', '1', '2']);

    // A stopping instance hands the job over at once.
    await store.releaseCompanyLease(`list:${company.id}:test`, '2');
    clock.advance(1_000);
    await processing();
    await runStatusStep(one, company);
    expect(listedBy).toEqual(['1', '1', '2', '1']);
  });
});
