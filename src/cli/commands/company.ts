/**
 * `efact company add|update|remove|list` — companies managed in the store of the configured data
 * folder (or store.url). A running server picks changes up within 5 s. Companies listed in the
 * configuration file are managed there and refused here.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { Company } from '../../domain/company.js';
import { EfactError } from '../../domain/errors.js';
import { DEMO_CIF } from '../../demo/demo.js';
import type { EfactConfig } from '../../config/types.js';
import type { SqlStore } from '../../adapters/store/sql-store.js';
import { SqlVault } from '../../secrets/sql-vault.js';
import { issuePartnerKey } from '../../secrets/partner-key.js';
import { CompanyAdmin, type CompanyChangeRequest } from '../../server/company-admin.js';
import { storeAction, storeOptions, type CommonOptions } from '../shared.js';

interface FieldOptions extends CommonOptions {
  cif: string;
  shortName?: string;
  name?: string;
  environment?: string;
  exportFolder?: string;
  partitionFilter?: string;
  oauthProfile?: string;
}

function configuredCifs(config: EfactConfig): Set<string> {
  const cifs = new Set(config.companies.map((c) => c.cif));
  if (config.demo) cifs.add(DEMO_CIF);
  return cifs;
}

/** storeAction with the company administration of that store. */
function adminAction<O extends CommonOptions>(body: (admin: CompanyAdmin, opts: O, store: SqlStore, config: EfactConfig) => Promise<number | void>): ReturnType<typeof storeAction> {
  return storeAction(({ config, store }, opts: O) => body(new CompanyAdmin(store, configuredCifs(config)), opts, store, config));
}

/** A folder typed on the command line is relative to where the person is; the server needs it absolute. */
function folderArg(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? value : path.resolve(value);
}

/** The vault of this data folder (the master key from EFACT_MASTER_KEY or the key file, created on first use). */
function vaultOf(store: SqlStore, config: EfactConfig): Promise<SqlVault> {
  return SqlVault.open({ db: store.db, dataDir: config.dataDir, env: process.env });
}

/** The partner key, printed this once: nothing shows it again. */
function partnerKeyLines(cif: string, key: string): string {
  return (
    `partner key (shown only now; store it safely): ${key}\n` +
    `  a partner sends the certificate password encrypted with it: PUT /api/v1/companies/${cif}/certificate-password\n` +
    `  {"password": base64(IV 12 bytes ‖ AES-256-GCM ciphertext ‖ tag 16 bytes), "encryption": "aes-256-gcm"}\n`
  );
}

function describe(c: Company, admin: CompanyAdmin): string {
  const parts = [
    `${c.shortName} — ${c.name} (CIF ${c.cif}, ${c.environment}${c.removedAt ? `, removed ${c.removedAt.toISOString()}` : ''})`,
    `  export folder: ${c.exportFolder ?? '-'}`,
    `  partition filter: ${c.partitionFilter ?? '-'}`,
    `  OAuth profile: ${c.oauthProfile ?? '-'}`,
    `  managed by: ${admin.isConfigured(c.cif) ? 'the configuration file' : 'the store (efact company / API)'}`,
  ];
  return `${parts.join('\n')}\n`;
}

function fieldOptions(cmd: Command, required: boolean): Command {
  const fields = cmd
    .requiredOption('--cif <cif>', 'the CIF, with or without RO (checked with the Romanian check digit, stored without RO)')
    .option('--short-name <text>', `short name (the manuals' NumeSkema), unique${required ? ' (required)' : ''}`)
    .option('--name <text>', `company name (the manuals' NumeFirma)${required ? ' (required)' : ''}`)
    .option('--environment <env>', 'test or prod' + (required ? ' (default test)' : ''))
    .option('--export-folder <dir>', 'folder the ERP writes invoice XML into ("" for none)')
    .option('--partition-filter <expr>', "the manuals' FiltruSQL, e.g. \"branch = 'Iasi'\" (\"\" for none)")
    .option('--oauth-profile <name>', 'name of the OAuth profile whose ANAF tokens the company uses ("" for none)');
  return storeOptions(fields);
}

export function registerCompany(program: Command): void {
  const company = program.command('company').description('add, change, remove and list companies (a running server picks changes up within 5 s)');

  fieldOptions(company.command('add').description('add a company'), true).action(
    adminAction(async (admin, opts: FieldOptions, store, config) => {
      if (!opts.shortName || !opts.name) throw new EfactError('INVALID_REQUEST', 'efact company add needs --short-name and --name');
      // The vault first: a master key that does not open it stops here, before the company exists.
      const vault = await vaultOf(store, config);
      const added = await admin.add({
        cif: opts.cif,
        shortName: opts.shortName ?? '',
        name: opts.name ?? '',
        ...(opts.environment !== undefined ? { environment: opts.environment } : {}),
        ...(opts.exportFolder !== undefined ? { exportFolder: folderArg(opts.exportFolder) ?? null } : {}),
        ...(opts.partitionFilter !== undefined ? { partitionFilter: opts.partitionFilter } : {}),
        ...(opts.oauthProfile !== undefined ? { oauthProfile: opts.oauthProfile } : {}),
      });
      const key = await issuePartnerKey(vault, added.cif);
      process.stdout.write(`added\n${describe(added, admin)}${partnerKeyLines(added.cif, key)}`);
    }),
  );

  fieldOptions(company.command('update').description('change fields of a company added with "efact company add" or the API'), false).action(
    adminAction(async (admin, opts: FieldOptions) => {
      const change: CompanyChangeRequest = {};
      if (opts.shortName !== undefined) change.shortName = opts.shortName;
      if (opts.name !== undefined) change.name = opts.name;
      if (opts.environment !== undefined) change.environment = opts.environment;
      if (opts.exportFolder !== undefined) change.exportFolder = folderArg(opts.exportFolder) ?? null;
      if (opts.partitionFilter !== undefined) change.partitionFilter = opts.partitionFilter;
      if (opts.oauthProfile !== undefined) change.oauthProfile = opts.oauthProfile;
      const updated = await admin.update(opts.cif, change);
      process.stdout.write(`updated\n${describe(updated, admin)}`);
    }),
  );

  storeOptions(
    company
      .command('remove')
      .description('remove a company: the server stops working it; its invoices and archive are kept (adding it again brings it back)')
      .requiredOption('--cif <cif>', 'the CIF, with or without RO')
      .option('--force', 'remove it even though some of its invoices are still open (they stay where they are)'),
  )
    .action(
      adminAction(async (admin, opts: CommonOptions & { cif: string; force?: boolean }) => {
        const { company: removed, openInvoices } = await admin.remove(opts.cif, { force: opts.force === true });
        process.stdout.write(
          `removed ${removed.shortName} (CIF ${removed.cif}); its invoices and archive are kept${openInvoices > 0 ? ` (${openInvoices} open invoices left where they were)` : ''}\n`,
        );
      }),
    );

  storeOptions(
    company
      .command('partner-key')
      .description("issue the company's partner key again (shown once; the earlier key stops working)")
      .requiredOption('--cif <cif>', 'the CIF, with or without RO'),
  )
    .action(
      adminAction(async (admin, opts: CommonOptions & { cif: string }, store, config) => {
        const found = await admin.find(opts.cif);
        const key = await issuePartnerKey(await vaultOf(store, config), found.cif);
        process.stdout.write(partnerKeyLines(found.cif, key));
      }),
    );

  storeOptions(
    company
      .command('list')
      .description('list companies')
      .option('--all', 'include removed companies')
      .option('--json', 'machine-readable output'),
  )
    .action(
      adminAction(async (admin, opts: CommonOptions & { all?: boolean; json?: boolean }) => {
        const list = await admin.list({ includeRemoved: opts.all === true });
        if (opts.json) {
          const rows = list.map((c) => ({ ...c, managedBy: admin.isConfigured(c.cif) ? 'config' : 'store' }));
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        } else if (list.length === 0) process.stdout.write('no companies yet; add one with: efact company add --cif CIF --short-name NAME --name "Company SRL"\n');
        else for (const c of list) process.stdout.write(describe(c, admin));
      }),
    );
}
