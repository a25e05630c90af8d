/**
 * The scale-out figures of `npm run bench` (issue 3), on PostgreSQL:
 *  - lifecycle throughput with 1, 2 and 3 instances (`efact serve` processes, one schema, the
 *    zero-latency sandbox in its own process), and the ratio to one instance;
 *  - claim latency (median, p99) with three store handles claiming from one queue at once;
 *  - throughput under a 1 000 calls/minute limit (three instances sharing the governor, the
 *    sandbox enforcing the limit) as a fraction of the limit, and the quota answers received.
 * Sizes: EFACT_BENCH_SCALE_INVOICES (default 1000), EFACT_BENCH_CLAIM_INVOICES (default 3000),
 * EFACT_BENCH_LIMIT_MINUTES (default 1: whole clock minutes measured under the limit).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPostgresStore } from '../adapters/store/postgres.js';
import type { SqlStore } from '../adapters/store/sql-store.js';
import { IntakeService } from '../engine/intake/intake-service.js';
import { buildSampleInvoice } from '../sandbox/anaf/sample-invoice.js';
import { startAnafSandbox } from '../sandbox/anaf/server.js';
import { loadConfig } from '../config/load.js';
import { silentLogger } from '../engine/context.js';
import { startRuntime, type Runtime } from '../server/runtime.js';
import { startChild, stopChild, type Child } from '../chaos/children.js';
import { anafDay } from '../adapters/anaf/time.js';

const CIF = '8000000000';
const BUYER = '8609468';
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const UNLIMITED = 1_000_000_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function withSchema(base: string, schema: string): string {
  const u = new URL(base);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

async function freshSchema(pgUrl: string): Promise<{ schema: string; url: string; drop: () => Promise<void> }> {
  const schema = `efact_bench_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  await client.query(`create schema "${schema}"`);
  await client.end();
  return {
    schema,
    url: withSchema(pgUrl, schema),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    },
  };
}

async function fill(store: SqlStore, invoices: number, prefix: string, concurrency = 4): Promise<void> {
  await store.upsertCompany({ cif: CIF, shortName: 'BENCH', name: 'Bench SRL', environment: 'test' });
  const intake = new IntakeService(store, 'bench');
  const day = anafDay(new Date());
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const n = next++;
        if (n >= invoices) return;
        const xml = Buffer.from(buildSampleInvoice({ supplierCif: CIF, buyerCif: BUYER, id: `${prefix}${n}`, issueDate: day }));
        await intake.submit({ companyCif: CIF, xml, origin: { channel: 'api', sourcePath: null, computer: null, user: null, branch: null } });
      }
    }),
  );
}

async function downloaded(store: SqlStore): Promise<number> {
  return (await store.countByStatus()).filter((c) => c.status === 'downloaded').reduce((a, c) => a + c.count, 0);
}

export interface ScaleRow {
  instances: number;
  invoices: number;
  seconds: number;
  perSec: number;
}

/** K `efact serve` processes on one fresh schema; the queue is filled once they all run. */
async function throughput(pgUrl: string, instances: number, invoices: number, sandboxUrl: string): Promise<ScaleRow> {
  const { url, drop } = await freshSchema(pgUrl);
  const work = mkdtempSync(path.join(os.tmpdir(), 'efact-bench-scale-'));
  const store = await openPostgresStore({ url, poolSize: 4 });
  const children: Child[] = [];
  try {
    await store.upsertCompany({ cif: CIF, shortName: 'BENCH', name: 'Bench SRL', environment: 'test' });
    for (let serverId = 1; serverId <= instances; serverId++) {
      const dataDir = path.join(work, `i${serverId}`);
      mkdirSync(dataDir);
      const configFile = path.join(work, `i${serverId}.json`);
      writeFileSync(
        configFile,
        JSON.stringify({
          serverId,
          seats: instances,
          dataDir,
          demo: false,
          logLevel: 'warn',
          http: { port: 0 },
          store: { url },
          sandbox: { enabled: true, url: sandboxUrl, processingDelaySeconds: 0 },
          engine: { pacingSeconds: 0, allowFastPacing: true, passIntervalSeconds: 0, concurrency: 16 },
          limits: { perMinute: UNLIMITED },
          companies: [{ cif: CIF, shortName: 'BENCH', name: 'Bench SRL', environment: 'test' }],
        }),
      );
      for (let tries = 1; ; tries++) {
        try {
          const { child } = await startChild(`instance ${serverId}`, [CLI, 'serve', '--config', configFile], {
            // Nothing wakes an engine when the bench fills the store directly: no idle back-off here.
            env: { EFACT_ENGINE_OVERRIDES: JSON.stringify({ pollIntervalMs: 50, idleBackoffMs: 100, idleQuietMs: 60_000 }) },
            ready: /REST API:/,
            logFile: path.join(work, `i${serverId}.log`),
            timeoutMs: 60_000,
          });
          children.push(child);
          break;
        } catch (e) {
          // e.g. the store's migration check tripping over a schema another process dropped meanwhile
          if (tries >= 3) throw e;
        }
      }
    }
    const start = performance.now();
    // invoice numbers unique per run: the sandbox process is shared and refuses a number it already has
    await fill(store, invoices, `S${instances}-`);
    const deadline = Date.now() + 10 * 60_000;
    while ((await downloaded(store)) < invoices) {
      if (Date.now() > deadline) throw new Error(`scale-out bench stalled: ${JSON.stringify(await store.countByStatus())}`);
      await sleep(100);
    }
    const seconds = (performance.now() - start) / 1000;
    return { instances, invoices, seconds, perSec: invoices / seconds };
  } finally {
    for (const c of children) await stopChild(c, 5000);
    await store.close();
    await drop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Three store handles claim the same queue until it is empty; every claim call is timed. */
async function claimLatency(pgUrl: string, invoices: number): Promise<{ median: number; p99: number; claims: number; batch: number }> {
  const { url, drop } = await freshSchema(pgUrl);
  const stores = await Promise.all([0, 1, 2].map(() => openPostgresStore({ url, poolSize: 2 })));
  const batch = 16;
  try {
    await fill(stores[0]!, invoices, 'C');
    const company = (await stores[0]!.getCompanyByCif(CIF))!;
    const times: number[] = [];
    await Promise.all(
      stores.map(async (s, i) => {
        for (;;) {
          const t = performance.now();
          const claimed = await s.claimForUpload(company.id, 'test', batch, new Date(), { instance: String(i + 1), cause: 'bench-claim' });
          times.push(performance.now() - t);
          if (claimed.length === 0) return;
        }
      }),
    );
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)]!, p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))]!, claims: times.length, batch };
  } finally {
    for (const s of stores) await s.close();
    await drop();
  }
}

/** Three instances sharing the PostgreSQL governor against a sandbox that enforces 1 000 calls/minute. */
async function underLimit(pgUrl: string, minutes: number): Promise<{ calls: number; limit: number; fraction: number; quotaAnswers: number; minutes: number }> {
  const LIMIT = 1000;
  const { url, drop } = await freshSchema(pgUrl);
  const work = mkdtempSync(path.join(os.tmpdir(), 'efact-bench-limit-'));
  const sandbox = await startAnafSandbox({ processingDelayMs: 0, quotas: { perMinute: LIMIT } });
  const runtimes: Runtime[] = [];
  const filler = await openPostgresStore({ url, poolSize: 4 });
  try {
    // Enough work that demand stays above the limit for the whole measurement.
    await fill(filler, Math.ceil((minutes + 1.5) * LIMIT * 0.6), 'L');
    for (let serverId = 1; serverId <= 3; serverId++) {
      const dataDir = path.join(work, `i${serverId}`);
      const config = loadConfig({
        env: {},
        overrides: {
          serverId,
          seats: 3,
          dataDir,
          demo: false,
          store: { url },
          sandbox: { enabled: true, processingDelaySeconds: 0 },
          engine: { pacingSeconds: 0, allowFastPacing: true, passIntervalSeconds: 0, concurrency: 16 },
          limits: { perMinute: LIMIT, headroom: 1 },
          companies: [{ cif: CIF, shortName: 'BENCH', name: 'Bench SRL', environment: 'test' }],
        },
      });
      runtimes.push(
        await startRuntime({ config, log: silentLogger, http: false, sandbox, engineOverrides: { pollIntervalMs: 50, idleBackoffMs: 100, idleQuietMs: 600_000 } }),
      );
    }
    // Measure whole clock minutes (the sandbox counts per clock minute), after a first warm-up minute.
    const nextMinute = (): number => (Math.floor(Date.now() / 60_000) + 1) * 60_000;
    await sleep(nextMinute() - Date.now() + 50);
    const c0 = sandbox.counters.totalCalls();
    await sleep(minutes * 60_000 - 100);
    const c1 = sandbox.counters.totalCalls();
    const quotaAnswers = Object.values(sandbox.counters.quotaAnswers).reduce<number>((a, b) => a + (b ?? 0), 0);
    return { calls: c1 - c0, limit: LIMIT * minutes, fraction: (c1 - c0) / (LIMIT * minutes), quotaAnswers, minutes };
  } finally {
    for (const r of runtimes) await r.stop();
    await filler.close();
    await sandbox.close();
    await drop();
    rmSync(work, { recursive: true, force: true });
  }
}

function table(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** Runs the scale-out figures; `sandboxUrl` is a zero-latency sandbox with no per-minute limit. */
export async function runScaleOutBench(pgUrl: string, sandboxUrl: string): Promise<string> {
  const invoices = Number(process.env.EFACT_BENCH_SCALE_INVOICES ?? 1000);
  const claimInvoices = Number(process.env.EFACT_BENCH_CLAIM_INVOICES ?? 3000);
  const minutes = Number(process.env.EFACT_BENCH_LIMIT_MINUTES ?? 1);
  const rows: ScaleRow[] = [];
  const say = (s: string): boolean => process.stderr.write(`[bench] ${s}\n`);
  for (const k of [1, 2, 3]) {
    rows.push(await throughput(pgUrl, k, invoices, sandboxUrl));
    say(`${k} instance(s): ${rows.at(-1)!.perSec.toFixed(0)} invoices/s`);
  }
  const base = rows[0]!.perSec;
  const claims = await claimLatency(pgUrl, claimInvoices);
  say(`claim latency: median ${claims.median.toFixed(2)} ms, p99 ${claims.p99.toFixed(2)} ms`);
  say(`under a 1 000 calls/minute limit for ${minutes} whole minute(s), after a warm-up of up to one minute…`);
  const limit = await underLimit(pgUrl, minutes);
  return [
    `Scale-out on PostgreSQL (efact serve processes, one schema, zero-latency sandbox in its own process, ${invoices} invoices)`,
    '',
    table(
      ['instances', 'lifecycle s', 'lifecycle inv/s', 'ratio to 1 instance'],
      rows.map((r) => [String(r.instances), r.seconds.toFixed(2), r.perSec.toFixed(0), (r.perSec / base).toFixed(2)]),
    ),
    '',
    table(
      ['claim latency (3 claimers, batches of ' + claims.batch + ')', 'median ms', 'p99 ms', 'claims'],
      [[`${claimInvoices} queued invoices`, claims.median.toFixed(2), claims.p99.toFixed(2), String(claims.claims)]],
    ),
    '',
    table(
      ['under a 1 000 calls/minute limit (3 instances, shared governor)', 'minutes measured', 'calls', 'fraction of limit', 'quota answers'],
      [[`target ≥ 0.95, 0 quota answers`, String(limit.minutes), String(limit.calls), limit.fraction.toFixed(3), String(limit.quotaAnswers)]],
    ),
  ].join('\n');
}
