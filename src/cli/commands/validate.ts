/**
 * `efact validate FILE|DIR...`: the local EN 16931 + CIUS-RO check, without a server or a store.
 * Exit code 0 when every file is valid, 1 when some has a fatal finding, 2 when some could not be
 * read or parsed (the worst wins).
 */
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { asEfactError, EfactError } from '../../domain/errors.js';
import { DEFAULT_MAX_XML_BYTES } from '../../xml/parse.js';
import { builtInValidator, type InvoiceValidator } from '../../engine/intake/local-validation.js';
import { officialValidator, validationCacheDir } from '../../server/validator.js';
import type { Finding } from '../../validation/types.js';
import { runCommand } from '../shared.js';
import { expandXmlPaths } from '../xml-files.js';

interface ValidateOptions {
  json?: boolean;
  official?: string;
  data?: string;
  maxBytes?: string;
}

interface FileResult {
  file: string;
  valid: boolean | null;
  ms: number | null;
  findings: Finding[];
  /** Why the file could not be validated (unreadable, not XML, too large). */
  error: string | null;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check invoice XML against EN 16931 and CIUS-RO locally (exit 0 all valid, 1 some invalid, 2 some unreadable); folders are searched for *.xml')
    .argument('<paths...>', 'files or folders')
    .option('--json', 'print the results as JSON')
    .option('--official <bundle>', "use ANAF's own Schematron (a ro16931-ubl-X.zip, its folder, its .sch or a compiled .xslt) instead of the built-in rules (slow; compiled once)")
    .option('-d, --data <dir>', 'data folder (the official bundle is compiled and cached under <data>/cache)', 'efact-data')
    .option('--max-bytes <n>', 'largest file accepted, in bytes', String(DEFAULT_MAX_XML_BYTES))
    .action((paths: string[], opts: ValidateOptions) => runCommand(() => validate(paths, opts)));
}

async function validate(paths: string[], opts: ValidateOptions): Promise<number> {
  const maxBytes = Number(opts.maxBytes ?? DEFAULT_MAX_XML_BYTES);
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new EfactError('INVALID_REQUEST', `--max-bytes ${opts.maxBytes}: expected a positive whole number`);
  const files = await expandXmlPaths(paths, 'keep');
  if (files.length === 0) throw new EfactError('INVALID_REQUEST', 'no .xml files found in the given paths');
  const validator: InvoiceValidator =
    opts.official !== undefined ? await officialValidator(opts.official, validationCacheDir(path.resolve(opts.data ?? 'efact-data'))) : builtInValidator;
  const results: FileResult[] = [];
  for (const file of files) results.push(await validateFile(file, validator, maxBytes));

  if (opts.json) process.stdout.write(`${JSON.stringify({ files: results }, null, 2)}\n`);
  else process.stdout.write(humanReport(results));
  if (results.some((r) => r.error !== null)) return 2;
  return results.some((r) => r.valid === false) ? 1 : 0;
}

async function validateFile(file: string, validator: InvoiceValidator, maxBytes: number): Promise<FileResult> {
  try {
    const st = await stat(file).catch(() => null);
    if (st === null) throw new EfactError('INVALID_REQUEST', 'no such file or folder');
    if (st.size > maxBytes) throw new EfactError('TOO_LARGE', `${st.size} bytes, more than ${maxBytes}`);
    const r = validator(await readFile(file), maxBytes);
    return { file, valid: r.valid, ms: Math.round(r.ms * 100) / 100, findings: r.findings, error: null };
  } catch (e) {
    return { file, valid: null, ms: null, findings: [], error: asEfactError(e).message };
  }
}

/** One row per finding (file, rule, severity, line, message), then a one-line summary. */
export function humanReport(results: readonly FileResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    if (r.error !== null) rows.push([r.file, '-', 'unreadable', '-', r.error]);
    else if (r.findings.length === 0) rows.push([r.file, '-', 'ok', '-', 'valid']);
    else for (const f of r.findings) rows.push([r.file, f.ruleId, f.severity, f.line > 0 ? String(f.line) : '-', `${f.message} (${f.location})`]);
  }
  const header = ['FILE', 'RULE', 'SEVERITY', 'LINE', 'MESSAGE'];
  const widths = header.slice(0, 4).map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ').trimEnd();
  const valid = results.filter((r) => r.valid === true).length;
  const invalid = results.filter((r) => r.valid === false).length;
  const unreadable = results.filter((r) => r.error !== null).length;
  const summary = `${results.length} file(s): ${valid} valid, ${invalid} invalid, ${unreadable} unreadable`;
  return [line(header), ...rows.map(line), '', summary].join(os.EOL) + os.EOL;
}
