/** `efact keys …`: the master key of the secrets vault. */
import type { Command } from 'commander';
import { systemClock } from '../../adapters/clock/system-clock.js';
import { isPostgresUrl } from '../../adapters/store/postgres.js';
import { rotateMasterKey } from '../../secrets/rotate.js';
import { SqlVault } from '../../secrets/sql-vault.js';
import { storeAction, storeOptions } from '../shared.js';

const out = (s = ''): boolean => process.stdout.write(`${s}\n`);

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('the master key that encrypts stored secrets');
  storeOptions(
    keys
      .command('rotate')
      .description('re-encrypt every stored secret and token under a new master key, in one transaction (key file: written beside the old one, which is removed when done; EFACT_MASTER_KEY: the new key from EFACT_NEW_MASTER_KEY)'),
  ).action(
    storeAction(async ({ config, store }) => {
      // Opening the vault first checks that the loaded key opens what is stored.
      await SqlVault.open({ db: store.db, dataDir: config.dataDir, now: () => systemClock.now() });
      const r = await rotateMasterKey({ db: store.db, dataDir: config.dataDir, rowLocks: isPostgresUrl(config.store.url) });
      out(`master key rotated: ${r.from} → ${r.to}; ${r.secrets} secrets and ${r.tokens} token pairs re-encrypted`);
      if (r.source === 'env') out('Now set EFACT_MASTER_KEY to the value of EFACT_NEW_MASTER_KEY for every Efact process, and remove EFACT_NEW_MASTER_KEY.');
    }),
  );
  storeOptions(keys.command('status').description('which master key is active and how many secrets it holds (never the key)')).action(
    storeAction(async ({ config, store }) => {
      const vault = await SqlVault.open({ db: store.db, dataDir: config.dataDir, now: () => systemClock.now() });
      const list = await vault.list();
      const source = vault.keyring.source;
      out(`active master key ${vault.keyId} (from ${source.kind === 'env' ? 'EFACT_MASTER_KEY' : source.file}); ${list.length} stored secrets`);
    }),
  );
}
