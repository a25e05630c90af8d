/**
 * efact resend — a person's decision on invoices waiting at needs-attention because their upload
 * was never confirmed by ANAF (src/server/attention.ts): send them again after checking SPV, or
 * record the upload id found there.
 */
import type { Command } from 'commander';
import os from 'node:os';
import { createInterface } from 'node:readline/promises';
import { normalizeCif } from '../../domain/cif.js';
import { asEfactError, EfactError } from '../../domain/errors.js';
import type { Store } from '../../ports/store.js';
import { recordUploadId, resendInvoice, resendUnconfirmed, type Decider } from '../../server/attention.js';
import { storeAction, storeOptions, type CommonOptions } from '../shared.js';

interface ResendOptions extends CommonOptions {
  company?: string;
  unconfirmed?: boolean;
  uploadId?: string;
  yes?: boolean;
}

const decider = (): Decider => ({ instance: 'cli', by: os.userInfo().username });

async function confirmed(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) throw new EfactError('INVALID_REQUEST', 'add --yes to confirm when not running in a terminal');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

async function loadInvoice(store: Store, arg: string) {
  const id = Number(arg);
  const invoice = Number.isSafeInteger(id) && id > 0 ? await store.getInvoice(id) : null;
  if (!invoice) throw new EfactError('NOT_FOUND', `no invoice with id ${arg} (the # number efact status shows)`);
  return invoice;
}

export function registerResend(program: Command): void {
  storeOptions(
    program
      .command('resend')
      .description('send again invoices whose upload ANAF never confirmed (needs-attention), after checking SPV; or record the upload id found there')
      .argument('[ids...]', 'invoice ids (the # numbers efact status lists under "Needs attention")')
      .option('--company <cif>', 'with --unconfirmed: the company (CIF, with or without RO)')
      .option('--unconfirmed', "every invoice of --company whose upload ANAF never confirmed")
      .option('--upload-id <id>', 'instead of sending again: the upload id (index de încărcare) found in SPV, for one invoice')
      .option('-y, --yes', 'do not ask for confirmation'),
  ).action(
    storeAction(async ({ store }, opts: ResendOptions, ids: string[]) => {
      if (opts.unconfirmed) {
        if (ids.length > 0 || opts.uploadId !== undefined) throw new EfactError('INVALID_REQUEST', '--unconfirmed takes no invoice ids and no --upload-id');
        const cif = opts.company === undefined ? null : normalizeCif(opts.company);
        const company = cif === null ? null : await store.getCompanyByCif(cif);
        if (!company) throw new EfactError('UNKNOWN_COMPANY', opts.company === undefined ? '--unconfirmed needs --company <cif>' : `no company with CIF ${opts.company}`);
        const question = `Every invoice of ${company.shortName} (${company.environment}) whose upload ANAF never confirmed will be sent again. Checked in SPV that ANAF does not have them?`;
        if (!(await confirmed(question, opts.yes))) {
          process.stdout.write('nothing changed\n');
          return 1;
        }
        const resent = await resendUnconfirmed(store, company, decider());
        process.stdout.write(`${resent.length} invoice(s) of ${company.shortName} queued again${resent.length ? `: ${resent.map((i) => `#${i.id} ${i.invoiceId}`).join(', ')}` : ''}\n`);
        return;
      }
      if (ids.length === 0) throw new EfactError('INVALID_REQUEST', 'name the invoices (ids from efact status), or use --company <cif> --unconfirmed');
      if (opts.uploadId !== undefined) {
        if (ids.length !== 1) throw new EfactError('INVALID_REQUEST', '--upload-id is recorded for exactly one invoice');
        const invoice = await recordUploadId(store, await loadInvoice(store, ids[0]!), opts.uploadId, decider());
        process.stdout.write(`#${invoice.id} ${invoice.invoiceId}: upload id ${invoice.uploadId} recorded; ANAF's answer is asked for next\n`);
        return;
      }
      let refused = 0;
      for (const arg of ids) {
        try {
          const invoice = await resendInvoice(store, await loadInvoice(store, arg), decider());
          process.stdout.write(`#${invoice.id} ${invoice.invoiceId}: queued again\n`);
        } catch (e) {
          refused += 1;
          process.stderr.write(`#${arg}: ${asEfactError(e).message}\n`);
        }
      }
      return refused > 0 ? 1 : 0;
    }),
  );
}
