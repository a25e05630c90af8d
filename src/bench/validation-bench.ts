/**
 * Validation section of `npm run bench` (EFACT_BENCH_ONLY=validation): on the same corpus files,
 * the built-in rules' and the official XSLT path's ms per invoice (warm, p50/p95) side by side,
 * for all files and for typical (10–30 kB) ones, with their ratio; then a ~10 MB invoice with
 * thousands of lines through both paths, once each, each in a child process of its own (so
 * earlier work does not count in its memory), its peak RSS read from /proc while it runs and the
 * official run stopped at a time bound (EFACT_BENCH_VALIDATION_BIG_TIMEOUT_S, default 300 s).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { validateInvoice } from '../validation/run.js';
import { parseInvoiceDocument } from '../validation/model/document.js';
import { checkStructure } from '../validation/structure/check.js';
import { DEFAULT_MAX_XML_BYTES } from '../xml/parse.js';

/** EFACT_REFERENCE_DIR, else ../shared/reference or ../../shared/reference from the working directory. */
function referenceDir(): string | null {
  const candidates = [process.env['EFACT_REFERENCE_DIR'], path.resolve('../shared/reference'), path.resolve('../../shared/reference')];
  return candidates.find((p): p is string => typeof p === 'string' && p !== '' && existsSync(path.join(p, 'corpus'))) ?? null;
}

function corpusFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    // en16931-unit holds Schematron test fragments, not invoices.
    if (e.isFile() && /\.xml$/i.test(e.name) && !e.parentPath.includes('en16931-unit')) out.push(path.join(e.parentPath, e.name));
  }
  return out.sort();
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Timing {
  p50: number;
  p95: number;
  n: number;
}

function timings(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), n: s.length };
}

/** Repeats the first invoice line (renumbered) until the document is close to `targetBytes`. */
export function bigInvoice(xml: string, targetBytes: number): { xml: string; lines: number } {
  const m = /<cac:InvoiceLine>[\s\S]*?<\/cac:InvoiceLine>/.exec(xml);
  if (!m) throw new Error('no cac:InvoiceLine to repeat');
  const line = m[0];
  const room = targetBytes - Buffer.byteLength(xml);
  const count = Math.max(1, Math.floor(room / Buffer.byteLength(line)));
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(line.replace(/<cbc:ID>[^<]*<\/cbc:ID>/, `<cbc:ID>${i + 2}</cbc:ID>`));
  const end = m.index + line.length;
  return { xml: xml.slice(0, end) + parts.join('') + xml.slice(end), lines: count + 1 };
}

export async function runValidationBench(log: (s: string) => void = () => {}): Promise<string> {
  const ref = referenceDir();
  if (ref === null) return 'Validation: skipped — no reference corpus (set EFACT_REFERENCE_DIR or place ../shared/reference).';
  const files = corpusFiles(path.join(ref, 'corpus'));
  if (files.length === 0) return `Validation: skipped — no .xml files under ${path.join(ref, 'corpus')}.`;
  const inputs = files.map((f) => ({ file: f, bytes: new Uint8Array(readFileSync(f)) }));
  // Wall times on a shared machine grow with its load: the table says how loaded it was.
  const loadBefore = os.loadavg()[0]!;
  const rounds = Number(process.env['EFACT_BENCH_VALIDATION_ROUNDS'] ?? 20);

  // Built-in: one warm-up pass, then `rounds` passes over every file.
  for (const i of inputs) validateInvoice(i.bytes);
  const builtIn: number[] = [];
  const typical: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const i of inputs) {
      const t0 = performance.now();
      validateInvoice(i.bytes);
      const ms = performance.now() - t0;
      builtIn.push(ms);
      if (isTypical(i.bytes)) typical.push(ms);
    }
  }
  const b = timings(builtIn);
  const bt = timings(typical);
  // The UBL 2.1 structure check alone (included in built-in above), on the parsed 10–30 kB files.
  const typicalDocs = inputs.filter((i) => i.bytes.byteLength >= 10_000 && i.bytes.byteLength <= 30_000).map((i) => parseInvoiceDocument(i.bytes));
  for (const d of typicalDocs) checkStructure(d);
  const structureSamples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const d of typicalDocs) {
      const t0 = performance.now();
      checkStructure(d);
      structureSamples.push(performance.now() - t0);
    }
  }
  log(`validation: built-in p50 ${b.p50.toFixed(2)} ms over ${b.n} runs`);

  // Official: ANAF's compiled Schematron through saxon-js (SEF cached in .cache/validation).
  let o: Timing | null = null;
  let ot: Timing | null = null;
  let officialNote = '';
  const xslt = path.join(ref, 'cius-ro', 'EN16931-CIUS_RO-UBL-validation.xslt');
  if (process.env['EFACT_BENCH_VALIDATION_OFFICIAL'] === '0') officialNote = 'skipped (EFACT_BENCH_VALIDATION_OFFICIAL=0)';
  else if (!existsSync(xslt)) officialNote = `skipped — ${xslt} not found`;
  else {
    const { createOfficialValidator } = await import('../validation/official/official-validator.js');
    log('validation: compiling / loading the official XSLT (first time: minutes)');
    const official = createOfficialValidator({ xsltPath: xslt, cacheDir: path.resolve('.cache/validation') });
    for (const i of inputs) official.validate(i.bytes);
    const samples: number[] = [];
    const typicalSamples: number[] = [];
    const officialRounds = Number(process.env['EFACT_BENCH_VALIDATION_OFFICIAL_ROUNDS'] ?? 3);
    for (let r = 0; r < officialRounds; r++) {
      for (const i of inputs) {
        const t0 = performance.now();
        official.validate(i.bytes);
        const ms = performance.now() - t0;
        samples.push(ms);
        if (isTypical(i.bytes)) typicalSamples.push(ms);
      }
    }
    o = timings(samples);
    if (typicalSamples.length > 0) ot = timings(typicalSamples);
    log(`validation: official p50 ${o.p50.toFixed(2)} ms over ${o.n} runs`);
  }

  // A ~10 MB invoice (just under the 10 MiB limit), once through each path, each in a child process.
  const source = inputs.map((i) => Buffer.from(i.bytes).toString('utf8')).find((x) => /<Invoice[\s>]/.test(x) && x.includes('<cac:InvoiceLine>'));
  let bigHead = 'Large invoice: skipped — no corpus invoice with cac:InvoiceLine';
  let bigBuiltIn: BigRun | null = null;
  let bigOfficial: BigRun | null = null;
  let bigOfficialNote = officialNote;
  if (source !== undefined) {
    const { xml, lines } = bigInvoice(source, DEFAULT_MAX_XML_BYTES - 64 * 1024);
    bigHead = `Large invoice: ${(Buffer.byteLength(xml) / 1048576).toFixed(1)} MB, ${lines} lines, validated once per path (cold process)`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'efact-bench-val-'));
    try {
      const file = path.join(dir, 'big.xml');
      writeFileSync(file, xml);
      log('validation: 10 MB invoice, built-in');
      bigBuiltIn = await runBig({ mode: 'built-in', file }, 300_000);
      if (existsSync(xslt) && process.env['EFACT_BENCH_VALIDATION_OFFICIAL'] !== '0') {
        const bound = Number(process.env['EFACT_BENCH_VALIDATION_BIG_TIMEOUT_S'] ?? 300) * 1000;
        log(`validation: 10 MB invoice, official XSLT (bounded at ${bound / 1000} s)`);
        bigOfficial = await runBig({ mode: 'official', file, xslt, cacheDir: path.resolve('.cache/validation') }, bound);
        bigOfficialNote = '';
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const fmt = (t: Timing | null): [string, string, string] => (t === null ? ['', '', ''] : [t.p50.toFixed(2), t.p95.toFixed(2), String(t.n)]);
  const rows: string[][] = [
    ['built-in (all files)', ...fmt(b)],
    ['official XSLT, saxon-js (all files)', ...(o === null ? [officialNote, '', ''] : fmt(o))],
    ['built-in (10–30 kB files)', ...fmt(typical.length > 0 ? bt : null)],
    ['  of which UBL 2.1 structure check', ...fmt(structureSamples.length > 0 ? timings(structureSamples) : null)],
    ['official XSLT, saxon-js (10–30 kB files)', ...(ot === null ? [o === null ? officialNote : 'no 10–30 kB file', '', ''] : fmt(ot))],
  ];
  const head = ['validation, ms per invoice (warm)', 'p50', 'p95', 'runs'];
  const ratio = (x: Timing | null, y: Timing | null): string =>
    x === null || y === null ? 'n/a' : `${(x.p50 / y.p50).toFixed(0)}× at p50, ${(x.p95 / y.p95).toFixed(0)}× at p95`;

  const bigRows: string[][] = [
    ['built-in', ...bigCells(bigBuiltIn, '')],
    ['official XSLT, saxon-js', ...bigCells(bigOfficial, bigOfficialNote)],
  ];
  const bigHeader = ['10 MB invoice, one cold run', 'ms', 'CPU ms', 'peak RSS MB', 'findings', 'note'];
  const bigRatio =
    bigBuiltIn?.ms !== undefined && bigOfficial?.ms !== undefined
      ? `${(bigOfficial.ms / bigBuiltIn.ms).toFixed(0)}× the time, ${(bigOfficial.peakRssMb / bigBuiltIn.peakRssMb).toFixed(1)}× the peak RSS`
      : bigOfficial?.timedOut
        ? `more than ${(bigOfficial.boundMs / bigBuiltIn!.ms!).toFixed(0)}× the time (the official run was stopped at its bound)`
        : 'n/a';
  return [
    `Validation (${files.length} corpus files under ${path.join(ref, 'corpus')}, en16931-unit fragments excluded; ${typical.length / rounds} of them 10–30 kB)`,
    '',
    ...table(head, rows),
    '',
    `Official / built-in, all files: ${ratio(o, b)}`,
    `Official / built-in, 10–30 kB files: ${ratio(ot, typical.length > 0 ? bt : null)}`,
    '',
    bigHead,
    '',
    ...table(bigHeader, bigRows),
    '',
    `Official / built-in, 10 MB invoice: ${bigRatio}`,
    `Load average (1 min) ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end, on ${os.availableParallelism()} cores: wall times above include waiting for a core.`,
    'Targets: built-in p50 ≤ 5 ms for a typical (10–30 kB) invoice; ≥ 20× faster than the official path; 10 MB in bounded memory.',
  ].join('\n');
}

function isTypical(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 10_000 && bytes.byteLength <= 30_000;
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
}

function bigCells(r: BigRun | null, note: string): string[] {
  if (r === null) return ['', '', '', '', note];
  const peak = r.peakRssMb > 0 ? r.peakRssMb.toFixed(0) : '?';
  const used = r.processCpuMs > 0 ? `≥ ${r.processCpuMs}` : '?';
  if (r.timedOut) return [`> ${r.boundMs}`, used, `≥ ${peak}`, '', `stopped at the ${r.boundMs / 1000} s bound (CPU: the whole process)`];
  if (r.error !== undefined) return ['', used, peak, '', `failed: ${r.error}`];
  const extra = r.loadMs !== undefined ? `stylesheet load ${r.loadMs.toFixed(0)} ms not counted; ` : '';
  return [r.ms!.toFixed(0), r.cpuMs!.toFixed(0), peak, String(r.findings), `${extra}${r.rssBeforeMb!.toFixed(0)} MB RSS before validating`];
}

interface BigRun {
  ms?: number;
  /** CPU time of the validation itself (all threads of the process, GC included). */
  cpuMs?: number;
  /** CPU time of the whole child as last polled (what a stopped run had used). */
  processCpuMs: number;
  findings?: number;
  rssBeforeMb?: number;
  /** Stylesheet (SEF) load time, official path only. */
  loadMs?: number;
  /** Highest VmHWM seen (polled from /proc while running, and as the child reports it at the end). */
  peakRssMb: number;
  timedOut: boolean;
  boundMs: number;
  error?: string;
}

type BigJob = { mode: 'built-in'; file: string } | { mode: 'official'; file: string; xslt: string; cacheDir: string };

/** Validates the big file once in a fresh node process; stops it (SIGKILL, our own child) past `boundMs`. */
async function runBig(job: BigJob, boundMs: number): Promise<BigRun> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const modules = {
    run: pathToFileURL(path.join(here, '..', 'validation', 'run.js')).href,
    official: pathToFileURL(path.join(here, '..', 'validation', 'official', 'official-validator.js')).href,
  };
  const script = `
    import { readFileSync } from 'node:fs';
    import { performance } from 'node:perf_hooks';
    const job = ${JSON.stringify(job)};
    let validate, loadMs;
    if (job.mode === 'official') {
      const { createOfficialValidator } = await import(${JSON.stringify(modules.official)});
      const t = performance.now();
      const v = createOfficialValidator({ xsltPath: job.xslt, cacheDir: job.cacheDir });
      loadMs = performance.now() - t;
      validate = (b) => v.validate(b);
    } else {
      const { validateInvoice } = await import(${JSON.stringify(modules.run)});
      validate = (b) => validateInvoice(b);
    }
    const bytes = new Uint8Array(readFileSync(job.file));
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = validate(bytes);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    console.log(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, loadMs, findings: r.findings.length, rssBeforeMb: before / 1048576, peakRssMb: process.resourceUsage().maxRSS / 1024 }));`;
  const child = spawn(process.execPath, ['--max-old-space-size=8192', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let peakKb = 0;
  let cpuTicks = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
      // utime + stime (fields 14 and 15, after the parenthesised command name), in clock ticks
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuTicks = Number(f[11]) + Number(f[12]);
    } catch {
      // not Linux, or the child has just exited
    }
  }, 250);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, boundMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  clearInterval(poll);
  // Linux counts 100 ticks a second (USER_HZ); this is the whole process, stylesheet load included.
  const base = { peakRssMb: peakKb / 1024, processCpuMs: cpuTicks * 10, timedOut, boundMs };
  if (timedOut) return base;
  const last = out.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{')) {
    return { ...base, error: `exit ${code}: ${(err.trim().split('\n').at(-1) ?? '').slice(0, 160)}` };
  }
  const r = JSON.parse(last) as { ms: number; cpuMs: number; loadMs?: number; findings: number; rssBeforeMb: number; peakRssMb: number };
  return { ...base, ...r, peakRssMb: Math.max(r.peakRssMb, base.peakRssMb) };
}
