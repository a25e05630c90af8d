import type { Command } from 'commander';
import { EfactError } from '../../domain/errors.js';
import { normalizeCif } from '../../domain/cif.js';
import { ErpMonths, parseMonths } from '../../engine/erp-folder/months.js';
import { configFrom, runCommand, storeOptions, withStore, type CommonOptions } from '../shared.js';

interface MonthsOptions extends CommonOptions {
  company?: string;
  set?: string;
  all?: boolean;
  reset?: boolean;
  json?: boolean;
}

/**
 * `efact months`: which month folders (Efact<yyyy>_<mm>) of a company's export folder are taken —
 * WMEfact's "choose the month to send". Kept in the store; a running `efact serve` picks a
 * change up within seconds.
 */
export function registerMonths(program: Command): void {
  storeOptions(
    program.command('months').description("show or choose which months of a company's export folder are taken (the month folders Efact<yyyy>_<mm>)"),
  )
    .option('--company <cif>', 'the company (CIF, with or without RO); all companies with an export folder when absent')
    .option('--set <list>', 'take only these months, e.g. 2026-11,2026-12')
    .option('--all', 'take every month')
    .option('--reset', "go back to the configuration's companies[].months")
    .option('--json', 'machine-readable output')
    .action((opts: MonthsOptions) => runCommand(() => months(opts)));
}

async function months(opts: MonthsOptions): Promise<void> {
  const chosen = [opts.set !== undefined, opts.all === true, opts.reset === true].filter(Boolean).length;
  if (chosen > 1) throw new EfactError('INVALID_REQUEST', 'give one of --set, --all, --reset');
  const config = configFrom(opts);
  const list = opts.set !== undefined ? parseMonths(opts.set.split(',').filter(Boolean)) : opts.all ? [] : null;
  return withStore(config, async (store) => {
    // Every company of the store with an export folder: those of the configuration file and those added with `efact company add` or the API.
    let companies = (await store.listCompanies()).filter((c) => c.exportFolder !== null);
    if (opts.company !== undefined) {
      const cif = normalizeCif(opts.company);
      companies = companies.filter((c) => c.cif === cif);
      if (companies.length === 0) throw new EfactError('UNKNOWN_COMPANY', `no company with CIF ${opts.company} and an export folder is configured`);
    }
    if (chosen > 0 && opts.company === undefined && companies.length > 1) {
      throw new EfactError('INVALID_REQUEST', 'several companies have an export folder: say which with --company');
    }
    const registry = new ErpMonths(store, new Map(config.companies.map((c) => [c.cif, c.months])));
    await registry.reload(companies.map((c) => c.cif));
    const out: Array<{ cif: string; months: string[]; source: string }> = [];
    for (const c of companies) {
      const view = chosen > 0 ? await registry.set(c.cif, list) : registry.view(c.cif);
      out.push({ cif: c.cif, ...view });
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    else if (out.length === 0) process.stdout.write('no company has an export folder configured\n');
    else
      for (const o of out) {
        const from = o.source === 'person' ? 'chosen with efact months / the API' : o.source === 'config' ? 'from the configuration' : 'every month';
        process.stdout.write(`${o.cif}: ${o.months.length ? o.months.join(', ') : 'all months'} (${from})\n`);
      }
  });
}
