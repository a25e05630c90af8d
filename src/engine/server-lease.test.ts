import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../adapters/clock/manual-clock.js';
import { openSqliteStore } from '../adapters/store/sqlite.js';
import type { SqlStore } from '../adapters/store/sql-store.js';
import type { EfactError } from '../domain/errors.js';
import type { AnafConnector } from '../ports/platform.js';
import { DEFAULT_ENGINE_SETTINGS, type EngineLogger } from './context.js';
import { Engine } from './engine.js';
import { ServerLease } from './server-lease.js';
import { addCompany, createInvoice } from '../adapters/store/suite/harness.js';
import { waitFor } from '../../test/helpers/wait.js';

/** A connector that must not be reached: a fenced instance sends nothing. */
const noConnector = new Proxy({} as AnafConnector, {
  get: (_t, name) => () => Promise.reject(new Error(`the connector was called (${String(name)})`)),
});

function recordingLog(): EngineLogger & { lines: Array<{ level: string; obj: object; msg?: string }> } {
  const lines: Array<{ level: string; obj: object; msg?: string }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('an engine whose server registration is taken over', () => {
  const stores: SqlStore[] = [];
  let dir = '';
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function setUp() {
    dir = await mkdtemp(join(tmpdir(), 'efact-lease-'));
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    const path = join(dir, 'efact.db');
    const a = await openSqliteStore({ path, clock });
    const b = await openSqliteStore({ path, clock });
    stores.push(a, b);
    const log = recordingLog();
    const engine = new Engine({
      store: a,
      connector: noConnector,
      archive: {} as never,
      clock,
      instance: '2',
      settings: { ...DEFAULT_ENGINE_SETTINGS, pollIntervalMs: 1000 },
      log,
    });
    const reg = { serverId: 2, seats: 2, pid: 1, filter: null, leaseMs: 30_000 };
    return { clock, a, b, log, engine, reg };
  }

  it('stops at its next heartbeat, saying why', async () => {
    const { clock, a, b, log, engine, reg } = await setUp();
    await addCompany(a);
    await a.registerServer({ ...reg, host: 'old-host' });
    const fenced: EfactError[] = [];
    engine.onHalt((e) => fenced.push(e));
    const lease = new ServerLease({ registry: a, clock, intervalMs: 10_000, log, onFenced: (e) => engine.halt(e) });
    await engine.start();
    lease.start();
    clock.advance(10_000);
    await waitFor('a heartbeat', async () => (await a.listServers())[0]!.heartbeatAt.getTime() === clock.now().getTime(), 5_000, 10);
    expect(engine.halted).toBeNull();

    await b.registerServer({ ...reg, host: 'new-host', takeover: true });
    clock.advance(10_000);
    await waitFor('the engine to halt', () => engine.halted !== null, 5_000, 10);
    expect(fenced).toHaveLength(1);
    expect(fenced[0]).toMatchObject({ code: 'FENCED', message: expect.stringMatching(/server 2 was taken over by another instance \(host new-host/) });
    expect(log.lines.some((l) => l.level === 'error' && /registration lost/.test(l.msg ?? ''))).toBe(true);
    await lease.stop();
    await engine.stop();
    await expect(engine.start()).rejects.toMatchObject({ code: 'FENCED' });
  });

  it('stops at its next write, before sending anything', async () => {
    const { a, b, log, engine, reg } = await setUp();
    const company = await addCompany(a);
    await a.registerServer({ ...reg, host: 'old-host' });
    await b.registerServer({ ...reg, host: 'new-host', takeover: true });
    const invoice = await createInvoice(b, company.id);
    // No heartbeat in between: the claim itself finds the token stale.
    await engine.start();
    engine.wake();
    await waitFor('the engine to halt', () => engine.halted !== null, 5_000, 10);
    await engine.stop();
    expect(engine.halted?.code).toBe('FENCED');
    expect((await b.getInvoice(invoice.id))?.status).toBe('queued');
    expect(await b.listAttempts(invoice.id)).toEqual([]);
    expect(log.lines.find((l) => l.level === 'error')?.msg).toMatch(/engine stopped/);
  });
});
