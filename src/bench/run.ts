/**
 * `npm run bench`: figures side by side in one run, printed as a table.
 *  - lifecycle throughput: invoices carried queued → downloaded per second against the
 *    zero-latency sandbox with pacing 0 (SQLite, synchronous=FULL, the default);
 *  - platform calls per downloaded invoice at 1 000 and 10 000 invoices (floor 2: upload + download);
 *  - intake rate and peak memory;
 *  - with PostgreSQL (EFACT_BENCH_PG_URL or EFACT_TEST_PG_URL): the scale-out figures of scale-out.ts.
 *  - validation: built-in vs official XSLT ms per invoice, and a 10 MB invoice (validation-bench.ts);
 *  - the access token per platform call, cached and not (token-cache-bench.ts).
 * Everything runs on 127.0.0.1 and stops by itself.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { silentLogger } from '../engine/context.js';
import { startRuntime } from '../server/runtime.js';
import { buildSampleInvoice } from '../sandbox/anaf/sample-invoice.js';
import { formatGridBench, runGridBench } from './grid.js';
import { runFolderBench, type FolderBenchRow } from './folder-bench.js';
import { postgresUnreachable, runScaleOutBench } from './scale-out.js';
import { runTokenCacheBench } from './token-cache-bench.js';
import { runValidationBench } from './validation-bench.js';

const CIF = '8000000000';
const BUYER = '8609468';

interface Row {
  label: string;
  invoices: number;
  intakePerSec: number;
  lifecycleSeconds: number;
  lifecyclePerSec: number;
  calls: number;
  callsPerInvoice: number;
  peakRssMb: number;
}

async function startSandboxProcess(): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./sandbox-process.js', import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { url: (JSON.parse(line) as { url: string }).url, child };
}

type SandboxPlacement = 'in-process' | 'own process';

interface RunOptions {
  synchronous: 'FULL' | 'NORMAL';
  placement: SandboxPlacement;
  /** Where the data folder lives: the ordinary disk, or memory (to show the engine without the disk). */
  disk: 'disk' | 'tmpfs';
}

async function runOnce(invoices: number, opts: RunOptions): Promise<Row> {
  const { synchronous, placement } = opts;
  // Let the previous run's writes reach the disk first, so runs do not slow each other down.
  execFileSync('sync');
  const external = placement === 'own process' ? await startSandboxProcess() : null;
  const base = opts.disk === 'tmpfs' ? '/dev/shm' : os.tmpdir();
  const dataDir = await mkdtemp(path.join(base, 'efact-bench-'));
  const unlimited = 1_000_000_000;
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir,
      demo: false,
      store: { synchronous },
      sandbox: { enabled: true, processingDelaySeconds: 0, ...(external ? { url: external.url } : {}) },
      engine: { pacingSeconds: 0, allowFastPacing: true, passIntervalSeconds: 0, concurrency: 16 },
      limits: { perMinute: unlimited },
      companies: [{ cif: CIF, shortName: 'BENCH', name: 'Bench SRL', environment: 'test' }],
    },
  });
  const runtime = await startRuntime({
    config,
    log: silentLogger,
    http: false,
    engine: false,
    engineOverrides: { uploadBatch: 250 },
    sandboxOptions: { quotas: { perMinute: unlimited } },
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    const intakeStart = performance.now();
    for (let n = 1; n <= invoices; n++) {
      const xml = Buffer.from(buildSampleInvoice({ supplierCif: CIF, buyerCif: BUYER, id: `B${n}`, issueDate: '2026-11-20' }));
      await runtime.intake.submit({ companyCif: CIF, xml, origin: { channel: 'api', sourcePath: null, computer: null, user: null, branch: null } });
    }
    const intakeSeconds = (performance.now() - intakeStart) / 1000;

    const start = performance.now();
    await runtime.engine.start();
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const counts = await runtime.store.countByStatus();
      const downloaded = counts.filter((c) => c.status === 'downloaded').reduce((a, c) => a + c.count, 0);
      if (downloaded >= invoices) break;
      if (Date.now() > deadline) throw new Error(`bench stalled: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - start) / 1000;
    await runtime.engine.stop();
    await runtime.ledger.flush();
    const calls = await runtime.store.countCalls({});
    return {
      label: `${invoices} invoices, sandbox ${placement}, ${opts.disk === 'tmpfs' ? 'data in tmpfs' : 'data on disk'}, synchronous=${synchronous}`,
      invoices,
      intakePerSec: invoices / intakeSeconds,
      lifecycleSeconds: seconds,
      lifecyclePerSec: invoices / seconds,
      calls,
      callsPerInvoice: calls / invoices,
      peakRssMb: peakRss / 1024 / 1024,
    };
  } finally {
    clearInterval(sampler);
    await runtime.stop();
    external?.child.stdin?.end();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function table(rows: Row[]): string {
  const head = ['run', 'intake inv/s', 'lifecycle s', 'lifecycle inv/s', 'platform calls', 'calls / downloaded invoice', 'peak RSS MB'];
  const body = rows.map((r) => [
    r.label,
    r.intakePerSec.toFixed(0),
    r.lifecycleSeconds.toFixed(2),
    r.lifecyclePerSec.toFixed(0),
    String(r.calls),
    r.callsPerInvoice.toFixed(3),
    r.peakRssMb.toFixed(0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

function folderTable(rows: FolderBenchRow[]): string {
  const head = ['export folder', 'seconds', ''];
  const body = rows.map((r) => [r.label, Number.isNaN(r.seconds) ? '' : r.seconds.toFixed(3), r.note]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

// EFACT_BENCH_ONLY=lifecycle,grid,folder,scale,validation,tokens (a comma list) runs only those sections; by default all.
const only = new Set((process.env.EFACT_BENCH_ONLY ?? '').split(',').map((x) => x.trim()).filter(Boolean));
const wanted = (section: string): boolean => only.size === 0 || only.has(section);

// EFACT_BENCH_FOLDER_FILES=0 skips it.
const folderFiles = Number(process.env.EFACT_BENCH_FOLDER_FILES ?? '100000');
const folderRows = wanted('folder') && folderFiles > 0 ? await runFolderBench(folderFiles, (s) => process.stderr.write(`${s}\n`)) : [];

const sizes = wanted('lifecycle') ? (process.env.EFACT_BENCH_SIZES ?? '1000,10000').split(',').filter(Boolean).map(Number) : [];
const rows: Row[] = [];
for (const n of sizes) rows.push(await runOnce(n, { synchronous: 'FULL', placement: 'own process', disk: 'disk' }));
const last = sizes.at(-1);
if (last !== undefined) {
  rows.push(await runOnce(last, { synchronous: 'FULL', placement: 'in-process', disk: 'disk' }));
  rows.push(await runOnce(last, { synchronous: 'NORMAL', placement: 'own process', disk: 'disk' }));
  if (existsSync('/dev/shm')) rows.push(await runOnce(last, { synchronous: 'FULL', placement: 'own process', disk: 'tmpfs' }));
  process.stdout.write(`\nEfact benchmark (node ${process.version}, ${os.cpus().length} cores, zero-latency sandbox, pacing 0, SQLite)\n\n${table(rows)}\n`);
  process.stdout.write('\nTargets: lifecycle ≥ 500 invoices/s; ≤ 2.1 platform calls per downloaded invoice (floor 2: one upload, one download).\n');
}
if (wanted('grid')) {
  const gridRows = Number(process.env.EFACT_BENCH_GRID_ROWS ?? 1_000_000);
  process.stdout.write(`\n${formatGridBench(await runGridBench(gridRows))}\n`);
}
if (folderRows.length > 0) process.stdout.write(`\nERP export folder (${folderFiles} files; EFACT_BENCH_FOLDER_FILES)\n\n${folderTable(folderRows)}\n`);
if (wanted('scale')) {
  const pgUrl = process.env.EFACT_BENCH_PG_URL ?? process.env.EFACT_TEST_PG_URL;
  if (!pgUrl) {
    process.stdout.write('\nScale-out figures skipped: no PostgreSQL (set EFACT_BENCH_PG_URL or EFACT_TEST_PG_URL, e.g. postgres://postgres@127.0.0.1:5432/test).\n');
  } else {
    const unreachable = await postgresUnreachable(pgUrl);
    if (unreachable) process.stdout.write(`\nScale-out figures skipped: PostgreSQL at ${new URL(pgUrl).host} does not answer (${unreachable}).\n`);
    else process.stdout.write(`\n${await runScaleOutBench(pgUrl)}\n`);
  }
}
if (wanted('validation')) process.stdout.write(`\n${await runValidationBench((s) => process.stderr.write(`${s}\n`))}\n`);
if (wanted('tokens')) {
  const f = await runTokenCacheBench();
  process.stdout.write(
    `\nAccess token per platform call (${f.calls} calls, SQLite)\n\n` +
      `| path | µs per call |\n|---|---|\n| cached (version check, memory) | ${f.cachedMicros.toFixed(1)} |\n` +
      `| cache miss (version check, row, decrypt) | ${f.uncachedMicros.toFixed(1)} |\n| without the cache (row, decrypt) | ${f.rowAndDecryptMicros.toFixed(1)} |\n`,
  );
}
