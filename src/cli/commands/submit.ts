import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { EfactError, asEfactError } from '../../domain/errors.js';
import { IntakeService } from '../../engine/intake/intake-service.js';
import { monthOfPath } from '../../engine/intake/export-tree.js';
import { parseMonths } from '../../engine/erp-folder/months.js';
import { invoiceValidatorFor } from '../../server/validator.js';
import { configFrom, runCommand, storeOptions, withStore, type CommonOptions } from '../shared.js';
import { expandXmlPaths } from '../xml-files.js';

interface SubmitOptions extends CommonOptions {
  company: string;
  user?: string;
  branch?: string;
  quiet?: boolean;
  months?: string;
}

export function registerSubmit(program: Command): void {
  storeOptions(
    program
      .command('submit')
      .description('queue invoice XML files for a company (the server picks them up); folders are searched for *.xml')
      .argument('<paths...>', 'files or folders')
      .requiredOption('--company <cif>', 'the company (CIF, with or without RO)'),
  )
    .option('--user <name>', 'user column for these invoices')
    .option('--branch <name>', 'branch (Subunitate) column for these invoices')
    .option('-q, --quiet', 'no progress bar')
    .option('--months <list>', 'only files under these month folders Efact<yyyy>_<mm>, e.g. 2026-11,2026-12')
    .action((paths: string[], opts: SubmitOptions) => runCommand(() => submit(paths, opts)));
}

async function submit(paths: string[], opts: SubmitOptions): Promise<number> {
  const config = configFrom(opts);
  let files = await expandXmlPaths(paths, 'refuse');
  if (opts.months !== undefined) {
    const months = new Set(parseMonths(opts.months.split(',').filter(Boolean)));
    files = files.filter((f) => {
      const m = monthOfPath(path.resolve(f));
      return m !== null && months.has(m);
    });
  }
  if (files.length === 0) throw new EfactError('INVALID_REQUEST', `no .xml files found in the given paths${opts.months ? ` under the months ${opts.months}` : ''}`);
  const byCif = new Map(config.companies.map((c) => [c.cif, c]));
  const invalid: Array<{ file: string; reason: string }> = [];
  const rejected: Array<{ file: string; reason: string }> = [];
  const tally = { created: 0, duplicate: 0, superseded: 0 };
  const bar = files.length > 1 && !opts.quiet && process.stderr.isTTY ? new cliProgress.SingleBar({ stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
  await withStore(config, async (store) => {
    const intake = new IntakeService(
      store,
      'cli',
      (cif) => ({ flags: byCif.get(cif)?.flags ?? {}, b2c: byCif.get(cif)?.b2c ?? false }),
      undefined,
      { validate: await invoiceValidatorFor(config), modeOf: (cif) => byCif.get(cif)?.validation ?? 'block' },
    );
    try {
      await intake.resolveCompany(opts.company);
      bar?.start(files.length, 0);
      for (const file of files) {
        try {
          const outcome = await intake.submit(
            {
              companyCif: opts.company,
              xml: await readFile(file),
              origin: { channel: 'cli', sourcePath: path.resolve(file), computer: os.hostname(), user: opts.user ?? os.userInfo().username, branch: opts.branch ?? null },
            },
            { instance: 'cli' },
          );
          if (outcome.kind !== 'duplicate' && outcome.invoice.status === 'invalid') {
            const fatal = outcome.invoice.messages.filter((m) => m.severity === 'fatal');
            invalid.push({ file, reason: `${fatal.length} fatal finding(s), e.g. ${fatal[0]?.text ?? '?'}` });
          } else tally[outcome.kind]++;
        } catch (e) {
          const err = asEfactError(e);
          if (err.code === 'UNKNOWN_COMPANY') throw err;
          rejected.push({ file, reason: `${err.publicCode}: ${err.message}` });
        }
        bar?.increment();
      }
    } finally {
      bar?.stop();
    }
  });
  process.stdout.write(
    `${tally.created} queued, ${tally.superseded} replacing a NOK, ${tally.duplicate} already known, ${rejected.length} rejected${invalid.length > 0 ? `, ${invalid.length} invalid (kept, not sent; see efact validate)` : ''}\n`,
  );
  for (const r of rejected) process.stderr.write(`rejected ${r.file}: ${r.reason}\n`);
  for (const r of invalid) process.stderr.write(`invalid ${r.file}: ${r.reason}\n`);
  return rejected.length + invalid.length > 0 ? 1 : 0;
}
