#!/usr/bin/env node
/** The `efact` command line. Every command has --help. */
import { Command } from 'commander';
import { VERSION } from '../server/version.js';
import { registerServe } from './commands/serve.js';
import { registerSandbox } from './commands/sandbox.js';
import { registerSubmit } from './commands/submit.js';
import { registerStatus } from './commands/status.js';
import { registerPromote } from './commands/promote.js';
import { registerImportIni } from './commands/import-ini.js';
import { registerServers } from './commands/servers.js';
import { registerMonths } from './commands/months.js';
import { registerAuth } from './commands/auth.js';
import { registerKeys } from './commands/keys.js';
import { registerCompany } from './commands/company.js';
import { registerApiKey } from './commands/apikey.js';
import { registerValidate } from './commands/validate.js';
import { registerResend } from './commands/resend.js';

// `efact status | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const program = new Command()
  .name('efact')
  .description('E-invoice transmission server: carries invoices through ANAF RO e-Factura unattended')
  .version(VERSION);

registerServe(program);
registerSandbox(program);
registerSubmit(program);
registerStatus(program);
registerPromote(program);
registerImportIni(program);
registerServers(program);
registerMonths(program);
registerAuth(program);
registerKeys(program);
registerCompany(program);
registerApiKey(program);
registerValidate(program);
registerResend(program);

await program.parseAsync(process.argv);
