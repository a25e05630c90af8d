/**
 * `efact apikey create|list|revoke` — API keys for the REST API and the dashboard. Creating the
 * first key switches access control on: from then on every API route but health and the OpenAPI
 * document needs a key (a running server sees it at once).
 */
import type { Command } from 'commander';
import { EfactError } from '../../domain/errors.js';
import { createApiKey } from '../../server/api-keys.js';
import { storeAction, storeOptions, type CommonOptions } from '../shared.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter((s) => s !== '')];
}

export function registerApiKey(program: Command): void {
  const apikey = program.command('apikey').description('API keys for the REST API and the dashboard (roles admin / operator / viewer, company scopes)');

  storeOptions(
    apikey
      .command('create')
      .description('create a key; it is printed once and stored only as a hash')
      .requiredOption('--name <name>', 'who or what uses it, e.g. "erp" or "ana@acme"')
      .requiredOption('--role <role>', 'viewer (reads), operator (also submits, resumes, promotes, changes companies in scope) or admin (everything)')
      .option('--company <cif>', 'limit the key to this company (repeat, or a comma list); default every company', collect, []),
  ).action(
    storeAction(async ({ store }, opts: CommonOptions & { name: string; role: string; company: string[] }) => {
      const first = !(await store.hasApiKeys());
      const { key, record } = await createApiKey(store, { name: opts.name, role: opts.role, companies: opts.company });
      process.stdout.write(`${key}\n`);
      process.stderr.write(
        `API key "${record.name}" (${record.role}, ${record.companies ? `companies ${record.companies.join(', ')}` : 'every company'}) created.\n` +
          'Store it now: it is not shown again. Send it as "Authorization: Bearer <key>" or "X-API-Key: <key>".\n' +
          (first ? 'This is the first key: from now on the API refuses requests without a key (health and the OpenAPI document stay open).\n' : ''),
      );
    }),
  );

  storeOptions(apikey.command('list').description('list keys (never the secret, only its first characters)').option('--json', 'machine-readable output')).action(
    storeAction(async ({ store }, opts: CommonOptions & { json?: boolean }) => {
      const keys = await store.listApiKeys();
      if (opts.json) process.stdout.write(`${JSON.stringify(keys, null, 2)}\n`);
      else if (keys.length === 0) process.stdout.write('no API keys: the API is open on 127.0.0.1 only; create one with: efact apikey create --name admin --role admin\n');
      else {
        for (const k of keys) {
          process.stdout.write(
            `#${k.id} ${k.name}  ${k.role}  ${k.companies ? k.companies.join(',') : 'all companies'}  ${k.prefix}…  created ${k.createdAt.toISOString()}` +
              `  last used ${k.lastUsedAt?.toISOString() ?? 'never'}${k.revokedAt ? `  REVOKED ${k.revokedAt.toISOString()}` : ''}\n`,
          );
        }
      }
    }),
  );

  storeOptions(apikey.command('revoke').description('revoke a key at once (by id or name)').argument('<key>', 'the id (#N in apikey list) or the name')).action(
    storeAction(async ({ store }, _opts: CommonOptions, which: string) => {
      const id = /^#?\d+$/.test(which) ? Number(which.replace('#', '')) : which;
      const key = await store.revokeApiKey(id, new Date());
      if (key === null) throw new EfactError('NOT_FOUND', `no API key ${/^#?\d+$/.test(which) ? 'with id' : 'named'} ${which}; see efact apikey list`);
      process.stdout.write(`revoked API key "${key.name}" (#${key.id}) at ${key.revokedAt?.toISOString()}\n`);
    }),
  );
}
