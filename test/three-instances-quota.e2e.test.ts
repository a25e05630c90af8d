/**
 * Issue 3, part 4's proof: three instances on one PostgreSQL schema, one sandbox enforcing a low
 * per-minute limit. The shared governor keeps all three together under it: every invoice reaches
 * a final state, the sandbox never had to answer with a quota message, nothing was filed twice.
 * Time runs 10× faster than real time (ScaledClock) for every party, so several quota minutes
 * pass in a few real seconds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { silentLogger } from '../src/engine/context.js';
import { startRuntime, type Runtime } from '../src/server/runtime.js';
import { startAnafSandbox, type AnafSandbox } from '../src/sandbox/anaf/server.js';
import { openPostgresStore } from '../src/adapters/store/postgres.js';
import { ACTIVE_STATUSES } from '../src/domain/invoice-status.js';
import { CIF, sampleInvoice } from './helpers/runtime.js';
import { ScaledClock } from './helpers/scaled-clock.js';
import { KEY_FILE, newMasterKey, writeKeyFile } from '../src/secrets/keyring.js';
import { newTestSchema } from '../src/adapters/store/testing/pg-schemas.js';

const url = process.env.EFACT_TEST_PG_URL;
if (!url) console.warn('three-instance quota test skipped: EFACT_TEST_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)');

describe.skipIf(!url)('three instances, one PostgreSQL, one sandbox with a low per-minute limit', () => {
  const schema = newTestSchema();
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });

  it('finishes every invoice with zero quota answers and zero duplicate uploads', async () => {
    const clock = new ScaledClock(10);
    const PER_MINUTE = 60;
    const INVOICES = 45;
    const sandbox: AnafSandbox = await startAnafSandbox({ clock, processingDelayMs: 0, quotas: { perMinute: PER_MINUTE } });
    cleanups.push(() => sandbox.close());
    // The schema exists (and is migrated) before the instances start.
    await (await openPostgresStore({ url: url!, schema, poolSize: 1 })).close();

    const runtimes: Runtime[] = [];
    // Servers sharing a store share its master key (secrets in the store are sealed under it),
    // as an operator installs one key file on each; left alone, each would make its own.
    const key = newMasterKey();
    for (const serverId of [1, 2, 3]) {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), `efact-three-${serverId}-`));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      writeKeyFile(path.join(dataDir, KEY_FILE), key);
      const config = loadConfig({
        env: {},
        overrides: {
          dataDir,
          serverId,
          seats: 3,
          demo: false,
          store: { url: url!, schema }, // as README tells users: the governor's tables must follow store.schema too
          sandbox: { enabled: true, processingDelaySeconds: 0 },
          engine: { pacingSeconds: 0, allowFastPacing: true, passIntervalSeconds: 0, concurrency: 4 },
          // 90 % of the sandbox's limit: a call granted at a minute's very end may arrive in the next one
          limits: { perMinute: PER_MINUTE, headroom: 0.9 },
          companies: [{ cif: CIF, shortName: 'TEST', name: 'Test Company SRL', environment: 'test' }],
        },
      });
      const runtime = await startRuntime({
        config,
        clock,
        log: silentLogger,
        http: false,
        sandbox,
        engineOverrides: { pollIntervalMs: 400, retryBaseMs: 2_000, idleBackoffMs: 4_000, idleQuietMs: 0 },
      });
      cleanups.push(() => runtime.stop());
      runtimes.push(runtime);
    }

    for (let i = 0; i < INVOICES; i++) {
      const r = runtimes[i % 3]!;
      await r.intake.submit({
        companyCif: CIF,
        xml: Buffer.from(sampleInvoice(`TRI${String(i).padStart(3, '0')}`)),
        origin: { channel: 'api', sourcePath: null, computer: 'test', user: 'tester', branch: 'Sediu Central' },
      });
      r.engine.wake();
    }

    const store = runtimes[0]!.store;
    const deadline = Date.now() + 100_000;
    for (;;) {
      const counts = await store.countByStatus();
      const active = counts.filter((c) => ACTIVE_STATUSES.includes(c.status)).reduce((a, c) => a + c.count, 0);
      if (active === 0) break;
      if (Date.now() > deadline) throw new Error(`invoices still active: ${JSON.stringify(counts)}`);
      for (const r of runtimes) r.engine.wake();
      await new Promise((r) => setTimeout(r, 100));
    }

    const counts = await store.countByStatus();
    const total = counts.reduce((a, c) => a + c.count, 0);
    expect(total).toBe(INVOICES);
    expect(counts.filter((c) => c.status === 'needs-attention')).toEqual([]);
    const c = sandbox.counters;
    expect(c.quotaAnswers).toEqual({});
    expect(c.duplicateUploads()).toEqual([]);
    expect(c.callsTo('upload')).toBe(INVOICES);
    // It did take several of the sandbox's minutes: the limit was what held the instances back.
    expect(c.totalCalls()).toBeGreaterThan(PER_MINUTE);
  }, 150_000);
});
