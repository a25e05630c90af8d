/**
 * The scale-out figures of `npm run bench` (issue 3), on PostgreSQL:
 *  - lifecycle throughput with 1, 2 and 3 instances (separate processes, one schema, the
 *    zero-latency sandbox in a process of its own), and the ratio to one instance;
 *  - claim latency (median, p99), timed inside the store's claim by every instance of those runs;
 *  - throughput under a 1 000 calls/minute limit: three instances sharing the governor, the
 *    sandbox enforcing the limit, time accelerated for every process alike; calls per minute as
 *    a fraction of the limit, and the quota answers the sandbox gave (its own counters).
 * The queue is filled while sending is stopped, before the timer starts: the figures are the
 * engine's, not intake's or start-up's. Every schema is created and dropped by the bench.
 * Knobs: EFACT_BENCH_SCALE_INVOICES (default 600), EFACT_BENCH_SCALE_INSTANCES (default 1,2,3),
 * EFACT_BENCH_LIMIT_SPEED (clock factor; default chosen from the measured pace, see limitSpeed),
 * EFACT_BENCH_LIMIT_MINUTES (whole clock minutes measured after the warm-up; default from the speed),
 * EFACT_BENCH_LIMIT_HEADROOM (comma list, default 1,0.95: one limit run per value).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPostgresStore } from '../adapters/store/postgres.js';
import type { SqlStore } from '../adapters/store/sql-store.js';
import { IntakeService } from '../engine/intake/intake-service.js';
import { buildSampleInvoice } from '../sandbox/anaf/sample-invoice.js';
import { anafDay } from '../adapters/anaf/time.js';
import { KEY_FILE, newMasterKey, writeKeyFile } from '../secrets/keyring.js';
import type { BenchInstanceMessage, BenchInstanceSpec } from './bench-instance.js';
import type { SandboxReport } from './sandbox-process.js';
import { BenchScaledClock, type ScaledClockSpec } from './scaled-clock.js';

const CIF = '8000000000';
const BUYER = '8609468';
const INSTANCE_SCRIPT = fileURLToPath(new URL('./bench-instance.js', import.meta.url));
const SANDBOX_SCRIPT = fileURLToPath(new URL('./sandbox-process.js', import.meta.url));
const UNLIMITED = 1_000_000_000;
const LIMIT = 1000;
const COMPANY = { cif: CIF, shortName: 'BENCH', name: 'Bench SRL', environment: 'test' as const };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const say = (s: string): void => void process.stderr.write(`[bench] ${s}\n`);

function withSchema(base: string, schema: string, settings = ''): string {
  const u = new URL(base);
  u.searchParams.set('options', `-c search_path=${schema}${settings}`);
  return u.toString();
}

interface Schema {
  url: string;
  /** The same schema for the bench's own filling: commits without waiting for the disk (set-up only, never what is measured). */
  fillUrl: string;
  drop: () => Promise<void>;
}

async function freshSchema(pgUrl: string): Promise<Schema> {
  const schema = `efact_bench_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  await client.query(`create schema "${schema}"`);
  await client.end();
  return {
    url: withSchema(pgUrl, schema),
    fillUrl: withSchema(pgUrl, schema, ' -c synchronous_commit=off'),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    },
  };
}

/** Queues `invoices` invoices with sending stopped: nothing moves until the bench starts it. */
async function fillStopped(store: SqlStore, invoices: number, prefix: string, concurrency = 8): Promise<number> {
  const company = await store.upsertCompany(COMPANY);
  await store.setSendingEnabled(company.id, false);
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
  return company.id;
}

async function countOf(store: SqlStore, status: string): Promise<number> {
  return (await store.countByStatus()).filter((c) => c.status === status).reduce((a, c) => a + c.count, 0);
}

// ---- the sandbox process ----------------------------------------------------------------

interface SandboxProcess {
  url: string;
  report(): Promise<SandboxReport>;
  stop(): Promise<void>;
}

async function startSandbox(options: { perMinute?: number; clock?: ScaledClockSpec }): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [SANDBOX_SCRIPT], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, EFACT_BENCH_SANDBOX: JSON.stringify(options) },
  });
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => waiting.shift()?.(line));
  const nextLine = (): Promise<string> => new Promise((resolve) => waiting.push(resolve));
  const { url } = JSON.parse(await nextLine()) as { url: string };
  return {
    url,
    report: async () => {
      const line = nextLine();
      child.stdin!.write('counters\n');
      return JSON.parse(await line) as SandboxReport;
    },
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin!.end();
      await exited;
    },
  };
}

// ---- instance processes -------------------------------------------------------------------

interface Instance {
  child: ChildProcess;
  stop(): Promise<{ ms: number[]; claimed: number }>;
}

function startInstance(spec: BenchInstanceSpec, name: string): Promise<Instance> {
  const child = fork(INSTANCE_SCRIPT, [JSON.stringify(spec)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let onMessage: (m: BenchInstanceMessage) => void = () => undefined;
  child.on('message', (m: BenchInstanceMessage) => onMessage(m));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${name} exited before it was ready (code ${code})`)));
    onMessage = (m) => {
      clearTimeout(timer);
      if (m.type === 'failed') return reject(new Error(`${name} failed to start: ${m.error}`));
      if (m.type !== 'ready') return;
      resolve({
        child,
        stop: () =>
          new Promise((done, fail) => {
            const t = setTimeout(() => {
              child.kill('SIGKILL');
              fail(new Error(`${name} did not stop within 30 s`));
            }, 30_000);
            onMessage = (s) => {
              if (s.type !== 'stopped') return;
              clearTimeout(t);
              done(s.claims);
            };
            child.send({ type: 'stop' });
          }),
      });
    };
  });
}

interface Fleet {
  /** Stops every instance; the claim timings of all of them together. */
  stop(): Promise<{ ms: number[]; claimed: number }>;
  /** Instances that have exited on their own, with their exit code. */
  exited(): string[];
}

/** K instances on one store (one master key, as operators share it), started one after another. */
async function startFleet(k: number, storeUrl: string, sandboxUrl: string, work: string, limits: { perMinute: number; headroom?: number }, clock?: ScaledClockSpec): Promise<Fleet> {
  const key = newMasterKey();
  const speed = clock?.factor ?? 1;
  const instances: Instance[] = [];
  try {
    for (let serverId = 1; serverId <= k; serverId++) {
      const dataDir = path.join(work, `i${serverId}`);
      mkdirSync(dataDir, { recursive: true });
      writeKeyFile(path.join(dataDir, KEY_FILE), key);
      const spec: BenchInstanceSpec = {
        config: {
          serverId,
          seats: k,
          dataDir,
          demo: false,
          store: { url: storeUrl },
          sandbox: { enabled: true, url: sandboxUrl, processingDelaySeconds: 0 },
          engine: { pacingSeconds: 0, allowFastPacing: true, passIntervalSeconds: 0, concurrency: 16 },
          limits,
          companies: [COMPANY],
        },
        // Timings in clock ms: with an accelerated clock they are scaled so the real ones stay put.
        engineOverrides: { pollIntervalMs: 50 * speed, idleBackoffMs: 100 * speed, idleQuietMs: 600_000 * speed },
        ...(clock ? { clock } : {}),
      };
      instances.push(await startInstance(spec, `instance ${serverId}`));
    }
  } catch (e) {
    for (const i of instances) i.child.kill('SIGKILL');
    throw e;
  }
  const exited: string[] = [];
  instances.forEach((i, n) => i.child.once('exit', (code, signal) => exited.push(`instance ${n + 1} exited (${signal ?? code})`)));
  return {
    exited: () => [...exited],
    stop: async () => {
      const all = await Promise.all(instances.map((i) => i.stop()));
      return { ms: all.flatMap((a) => a.ms), claimed: all.reduce((n, a) => n + a.claimed, 0) };
    },
  };
}

// ---- the three figures ---------------------------------------------------------------------

export interface ScaleRow {
  instances: number;
  invoices: number;
  seconds: number;
  perSec: number;
  /** Platform calls the sandbox received per invoice during the run. */
  callsPerInvoice: number;
  /** Those calls per endpoint. */
  byEndpoint: Record<string, number>;
  claimMedianMs: number;
  claimP99Ms: number;
  claims: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

async function throughput(pgUrl: string, instances: number, invoices: number, sandbox: SandboxProcess): Promise<ScaleRow> {
  const schema = await freshSchema(pgUrl);
  const work = mkdtempSync(path.join(os.tmpdir(), 'efact-bench-scale-'));
  const store = await openPostgresStore({ url: schema.fillUrl, poolSize: 4 });
  let fleet: Fleet | null = null;
  try {
    // invoice numbers unique per run: the sandbox process is shared and refuses a number it already has
    const filled = performance.now();
    const companyId = await fillStopped(store, invoices, `S${instances}-${Date.now()}-`);
    say(`queued ${invoices} invoices in ${((performance.now() - filled) / 1000).toFixed(1)} s; starting ${instances} instance(s)`);
    fleet = await startFleet(instances, schema.url, sandbox.url, work, { perMinute: UNLIMITED });
    const before = await sandbox.report();
    const start = performance.now();
    await store.setSendingEnabled(companyId, true); // also wakes every instance (NOTIFY)
    const deadline = Date.now() + 3 * 60_000;
    while ((await countOf(store, 'downloaded')) < invoices) {
      if (Date.now() > deadline || fleet.exited().length > 0) {
        const calls = (await sandbox.report()).calls;
        const counts = (await store.countByStatus()).map((c) => `${c.status} ${c.count}`).join(', ');
        throw new Error(`stalled after ${((performance.now() - start) / 1000).toFixed(0)} s: ${counts}; sandbox calls ${JSON.stringify(calls)}; ${fleet.exited().join(', ') || 'every instance alive'}`);
      }
      await sleep(50);
    }
    const seconds = (performance.now() - start) / 1000;
    const after = await sandbox.report();
    const calls = after.totalCalls - before.totalCalls;
    const byEndpoint = Object.fromEntries(Object.entries(after.calls).map(([k, v]) => [k, v - (before.calls[k] ?? 0)]).filter(([, v]) => Number(v) > 0));
    const claims = await fleet.stop();
    fleet = null;
    const sorted = claims.ms.sort((a, b) => a - b);
    return {
      instances,
      invoices,
      seconds,
      perSec: invoices / seconds,
      callsPerInvoice: calls / invoices,
      byEndpoint,
      claimMedianMs: quantile(sorted, 0.5),
      claimP99Ms: quantile(sorted, 0.99),
      claims: sorted.length,
    };
  } finally {
    await fleet?.stop().catch(() => undefined);
    await store.close();
    await schema.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

export interface LimitResult {
  speed: number;
  headroom: number;
  minutes: number;
  /** Calls that reached the limit in each measured minute, with the refused ones marked. */
  perMinute: string[];
  /** Calls the sandbox answered (refused ones left out) in the measured minutes. */
  calls: number;
  /** Those per minute, over the limit. */
  fraction: number;
  /** Over the whole run, warm-up and stop included. */
  quotaAnswers: number;
  /** Within the measured minutes. */
  quotaAnswersMeasured: number;
  /** Calls in the warm-up's clock minutes, with the refused ones. */
  warmUp: string[];
  duplicates: number;
  /** Invoices not yet downloaded when the measured minutes ended: demand never fell short of the limit. */
  openAtEnd: number;
  /** Real seconds of the measured minutes. */
  realSeconds: number;
}

/** Three instances sharing the PostgreSQL governor against a sandbox that enforces 1 000 calls/minute. */
async function underLimit(pgUrl: string, minutes: number, speed: number, headroom: number, callsPerInvoice: number): Promise<LimitResult> {
  const now = Date.now();
  const spec: ScaledClockSpec = { factor: speed, start: now, realStart: now };
  const clock = new BenchScaledClock(spec);
  const schema = await freshSchema(pgUrl);
  const work = mkdtempSync(path.join(os.tmpdir(), 'efact-bench-limit-'));
  const sandbox = await startSandbox({ perMinute: LIMIT, clock: spec });
  const store = await openPostgresStore({ url: schema.fillUrl, poolSize: 4 });
  let fleet: Fleet | null = null;
  try {
    // Enough work that demand stays above the limit to the end (warm-up of at most 1¼ minutes).
    const invoices = Math.ceil(((minutes + 1.5) * LIMIT) / Math.max(1.5, callsPerInvoice) + 200);
    const filled = performance.now();
    const companyId = await fillStopped(store, invoices, `L${Date.now()}-`);
    say(`queued ${invoices} invoices in ${((performance.now() - filled) / 1000).toFixed(1)} s; starting 3 instances`);
    fleet = await startFleet(3, schema.url, sandbox.url, work, { perMinute: LIMIT, headroom }, spec);
    await store.setSendingEnabled(companyId, true);
    // Warm-up: the rest of the current clock minute, at least 10 clock seconds.
    const first = Math.floor((clock.now().getTime() + 10_000) / 60_000) + 1;
    const end = first + minutes;
    await sleep(clock.realMsUntil(first * 60_000));
    const realStart = performance.now();
    await sleep(clock.realMsUntil(end * 60_000) + 200);
    const realSeconds = (performance.now() - realStart) / 1000;
    const openAtEnd = invoices - (await countOf(store, 'downloaded'));
    const report = await sandbox.report();
    const measured = Array.from({ length: minutes }, (_, i) => String(first + i));
    const described = (m: string): string => `${report.perMinute[m] ?? 0}${report.refusedPerMinute[m] ? ` (${report.refusedPerMinute[m]} refused)` : ''}`;
    const perMinute = measured.map(described);
    const refusedMeasured = measured.reduce((a, m) => a + (report.refusedPerMinute[m] ?? 0), 0);
    const warmUp = Object.keys(report.perMinute).filter((m) => Number(m) < first).map(described);
    const calls = measured.reduce((a, m) => a + (report.perMinute[m] ?? 0), 0) - refusedMeasured;
    await fleet.stop();
    fleet = null;
    const final = await sandbox.report();
    return {
      speed,
      headroom,
      minutes,
      perMinute,
      calls,
      fraction: calls / (LIMIT * minutes),
      quotaAnswers: Object.values(final.quotaAnswers).reduce((a, b) => a + b, 0),
      quotaAnswersMeasured: refusedMeasured,
      warmUp,
      duplicates: final.duplicateUploads,
      openAtEnd,
      realSeconds,
    };
  } finally {
    await fleet?.stop().catch(() => undefined);
    await store.close();
    await sandbox.stop();
    await schema.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

function table(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/**
 * The clock factor of the limit run: as fast as lets the three instances, at the pace measured
 * just before, still ask for 1.5× the limit (a faster clock would measure this machine's CPU
 * rather than the governor); real time (×1) when they cannot even manage that. At most ×3: the
 * governor stops leasing 300 clock ms before a minute ends, and beyond ×3 that is less real time
 * than a call takes from grant to arrival here — the acceleration itself would push calls into
 * the next minute (at ×10, tens of them).
 */
function limitSpeed(rows: ScaleRow[]): number {
  const three = rows.find((r) => r.instances === 3) ?? rows.at(-1)!;
  const callsPerMinute = three.perSec * three.callsPerInvoice * 60;
  return Math.max(1, Math.min(3, Math.floor(callsPerMinute / (1.5 * LIMIT))));
}

/** Why the PostgreSQL server cannot be used (null: it answers). */
export async function postgresUnreachable(pgUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs the scale-out figures against a PostgreSQL server (schemas created and dropped here). */
export async function runScaleOutBench(pgUrl: string): Promise<string> {
  const invoices = Number(process.env.EFACT_BENCH_SCALE_INVOICES ?? 600);
  const cores = os.cpus().length;
  const loadBefore = os.loadavg();
  const started = performance.now();
  const rows: ScaleRow[] = [];
  const failures: string[] = [];
  const sandbox = await startSandbox({});
  try {
    for (const k of (process.env.EFACT_BENCH_SCALE_INSTANCES ?? '1,2,3').split(',').map(Number)) {
      try {
        rows.push(await throughput(pgUrl, k, invoices, sandbox));
      } catch (e) {
        // One stuck run is a figure too: say so and go on with the rest.
        failures.push(`${k} instance(s): ${e instanceof Error ? e.message : String(e)}`);
        say(failures.at(-1)!);
        continue;
      }
      const r = rows.at(-1)!;
      say(`${k} instance(s): ${r.perSec.toFixed(0)} invoices/s, ${r.callsPerInvoice.toFixed(2)} calls/invoice; claims median ${r.claimMedianMs.toFixed(2)} ms, p99 ${r.claimP99Ms.toFixed(2)} ms`);
    }
  } finally {
    await sandbox.stop();
  }
  if (rows.length === 0) return `Scale-out on PostgreSQL: no run finished.\n${failures.join('\n')}`;
  const base = rows.find((r) => r.instances === 1)?.perSec ?? NaN;
  const speed = Number(process.env.EFACT_BENCH_LIMIT_SPEED ?? limitSpeed(rows));
  const minutes = Number(process.env.EFACT_BENCH_LIMIT_MINUTES ?? (speed === 1 ? 1 : Math.min(4, speed)));
  const limits: LimitResult[] = [];
  for (const headroom of (process.env.EFACT_BENCH_LIMIT_HEADROOM ?? '1,0.95').split(',').filter(Boolean).map(Number)) {
    say(`under a 1 000 calls/minute limit, headroom ${headroom}, clock ×${speed}: ${minutes} whole minute(s) after a warm-up…`);
    limits.push(await underLimit(pgUrl, minutes, speed, headroom, rows.at(-1)!.callsPerInvoice));
  }
  const loadAfter = os.loadavg();
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(', ');
  return [
    `Scale-out on PostgreSQL (instances as separate processes on one schema, zero-latency sandbox in its own process, ${invoices} invoices per run)`,
    `NOTE: ${cores} cores shared by every instance, the sandbox, PostgreSQL and whatever else runs on the machine: the multi-instance ratios are bounded by CPU, not by the claiming.`,
    `Load average ${load(loadBefore)} before, ${load(loadAfter)} after; section took ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    '',
    table(
      ['instances', 'lifecycle s', 'lifecycle inv/s', 'ratio to 1 instance', 'calls/invoice', 'claim median ms', 'claim p99 ms', 'claims timed'],
      rows.map((r) => [
        String(r.instances),
        r.seconds.toFixed(2),
        r.perSec.toFixed(0),
        (r.perSec / base).toFixed(2),
        r.callsPerInvoice.toFixed(2),
        r.claimMedianMs.toFixed(2),
        r.claimP99Ms.toFixed(2),
        String(r.claims),
      ]),
    ),
    "Lifecycle: queued → downloaded, timed from Start (sending enabled) with the queue already full. Claim latency: the store's whole upload claim, its transaction included, timed inside the store by every instance of the run (few claims: p99 is close to the slowest).",
    ...failures.map((f) => `FAILED ${f}`),
    ...rows.map((r) => `Calls with ${r.instances} instance(s): ${Object.entries(r.byEndpoint).map(([k, v]) => `${k} ${v}`).join(', ')}.`),
    '',
    table(
      ['1 000 calls/minute limit, 3 instances, shared governor', 'headroom', 'clock', 'minutes', 'real s', 'calls per minute', 'fraction of limit', 'quota answers (measured / whole run)', 'duplicates', 'not downloaded at end'],
      limits.map((limit) => [
        'target ≥ 0.95, 0 quota answers',
        limit.headroom.toFixed(2),
        `×${limit.speed}`,
        String(limit.minutes),
        limit.realSeconds.toFixed(1),
        limit.perMinute.join(' / '),
        limit.fraction.toFixed(3),
        `${limit.quotaAnswersMeasured} / ${limit.quotaAnswers}`,
        String(limit.duplicates),
        String(limit.openAtEnd),
      ]),
    ),
    ...limits.map((l) => `Headroom ${l.headroom}: warm-up minute(s) before the measured ones: ${l.warmUp.join(' / ') || 'none'} calls.`),
    `Calls per whole minute of the sandbox clock, as the sandbox counted them against its limit; the fraction counts the answered ones only; quota answers as the sandbox counted them. Headroom 1.0 is the default, 0.95 what a user who wants no quota answer at all would set. The clock runs ×${speed} for the sandbox and the instances alike: as fast as the instances' pace measured above still asks for 1.5× the limit, at most ×3.`,
    ...limits.filter((l) => l.openAtEnd === 0).map((l) => `WARNING: headroom ${l.headroom}: every invoice was done before the measurement ended: demand fell short of the limit.`),
  ].join('\n');
}
