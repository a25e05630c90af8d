/**
 * Validation section of `npm run bench` (EFACT_BENCH_ONLY=validation): on the same corpus files,
 * the built-in rules' and the official XSLT path's ms per invoice (warm, p50/p95) side by side,
 * their ratio, and a ~10 MB invoice with thousands of lines through the built-in path (time and
 * peak RSS, measured in a child process of its own so earlier sections do not count).
 */
import { execFileSync } from 'node:child_process';
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
      if (i.bytes.byteLength >= 10_000 && i.bytes.byteLength <= 30_000) typical.push(ms);
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
    const officialRounds = Number(process.env['EFACT_BENCH_VALIDATION_OFFICIAL_ROUNDS'] ?? 3);
    for (let r = 0; r < officialRounds; r++) {
      for (const i of inputs) {
        const t0 = performance.now();
        official.validate(i.bytes);
        samples.push(performance.now() - t0);
      }
    }
    o = timings(samples);
    log(`validation: official p50 ${o.p50.toFixed(2)} ms over ${o.n} runs`);
  }

  // A ~10 MB invoice (just under the 10 MiB limit) in a child process: time and peak RSS.
  const source = inputs.map((i) => Buffer.from(i.bytes).toString('utf8')).find((x) => /<Invoice[\s>]/.test(x) && x.includes('<cac:InvoiceLine>'));
  let big = 'skipped — no corpus invoice with cac:InvoiceLine';
  if (source !== undefined) {
    const { xml, lines } = bigInvoice(source, DEFAULT_MAX_XML_BYTES - 64 * 1024);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'efact-bench-val-'));
    try {
      const file = path.join(dir, 'big.xml');
      writeFileSync(file, xml);
      const runJs = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'validation', 'run.js')).href;
      const script = `
        import { readFileSync } from 'node:fs';
        import { performance } from 'node:perf_hooks';
        const { validateInvoice } = await import(${JSON.stringify(runJs)});
        const bytes = new Uint8Array(readFileSync(${JSON.stringify(file)}));
        const before = process.memoryUsage().rss;
        const t0 = performance.now();
        const r = validateInvoice(bytes);
        const ms = performance.now() - t0;
        console.log(JSON.stringify({ ms, findings: r.findings.length, rssBeforeMb: before / 1048576, peakRssMb: process.resourceUsage().maxRSS / 1024 }));`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 300_000 });
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as { ms: number; findings: number; rssBeforeMb: number; peakRssMb: number };
      big =
        `${(Buffer.byteLength(xml) / 1048576).toFixed(1)} MB, ${lines} lines: built-in ${r.ms.toFixed(0)} ms, ` +
        `peak RSS ${r.peakRssMb.toFixed(0)} MB (${r.rssBeforeMb.toFixed(0)} MB with the file read, before validating), ${r.findings} findings`;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const fmt = (t: Timing | null): [string, string, string] => (t === null ? ['', '', ''] : [t.p50.toFixed(2), t.p95.toFixed(2), String(t.n)]);
  const rows: string[][] = [
    ['built-in (all files)', ...fmt(b)],
    ['built-in (10–30 kB files)', ...fmt(typical.length > 0 ? bt : null)],
    ['  of which UBL 2.1 structure check', ...fmt(structureSamples.length > 0 ? timings(structureSamples) : null)],
    ['official XSLT (saxon-js)', ...(o === null ? [officialNote, '', ''] : fmt(o))],
  ];
  const head = ['validation, ms per invoice (warm)', 'p50', 'p95', 'runs'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const ratio = o === null ? 'n/a' : `${(o.p50 / b.p50).toFixed(0)}× at p50, ${(o.p95 / b.p95).toFixed(0)}× at p95`;
  return [
    `Validation (${files.length} corpus files under ${path.join(ref, 'corpus')}, en16931-unit fragments excluded)`,
    '',
    line(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    '',
    `Official / built-in: ${ratio}`,
    `Large invoice: ${big}`,
    'Targets: built-in p50 ≤ 5 ms for a typical (10–30 kB) invoice; ≥ 20× faster than the official path; 10 MB in bounded memory.',
  ].join('\n');
}
