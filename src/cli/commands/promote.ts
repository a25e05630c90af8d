import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { EfactError } from '../../domain/errors.js';
import { storeAction, storeOptions, type CommonOptions } from '../shared.js';

interface PromoteOptions extends CommonOptions {
  company: string;
  yes?: boolean;
}

export function registerPromote(program: Command): void {
  storeOptions(
    program
      .command('promote')
      .description('"Reset eFact": turn a test company\'s invoices into production ones (upload/download ids and dates cleared) and switch the company to prod')
      .requiredOption('--company <cif>', 'the company (CIF, with or without RO)'),
  )
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      storeAction(async ({ store }, opts: PromoteOptions) => {
        const { normalizeCif } = await import('../../domain/cif.js');
        const cif = normalizeCif(opts.company);
        const company = cif === null ? null : await store.getCompanyByCif(cif);
        if (!company) throw new EfactError('UNKNOWN_COMPANY', `no company with CIF ${opts.company}`);
        if (company.environment !== 'test') {
          throw new EfactError('WRONG_ENVIRONMENT', `${company.shortName} is already in production; "Reset eFact" works only in test`);
        }
        if (!opts.yes) {
          if (!process.stdin.isTTY) throw new EfactError('INVALID_REQUEST', 'add --yes to confirm when not running in a terminal');
          const rl = createInterface({ input: process.stdin, output: process.stdout });
          const answer = await rl.question(
            `Every test invoice of ${company.shortName} (CIF ${company.cif}) will become a production invoice and be sent to ANAF's production system again; upload and download ids and dates are cleared. Continue? [y/N] `,
          );
          rl.close();
          if (!/^y(es)?$/i.test(answer.trim())) {
            process.stdout.write('nothing changed\n');
            return 1;
          }
        }
        const moved = await store.promoteToProd(company.id, { instance: 'cli', cause: 'promote-test-to-prod' });
        process.stdout.write(`${moved} invoices of ${company.shortName} moved from test to production and queued; the company now sends to prod\n`);
        process.stdout.write(`note: if the configuration file lists this company with environment: test, change it to prod too\n`);
      }),
    );
}
