/**
 * `efact keys rotate`: every secret re-encrypted under a new master key in ONE transaction; the
 * old key stays readable until the new one is in place.
 *
 * Key file: the new key is written first to `master.key.next` (0600). The transaction re-seals
 * every envelope and marks the new key active in `vault_keys`. Then `master.key` becomes
 * `master.key.old`, `master.key.next` becomes `master.key`, and the old file is deleted. A crash
 * at any point leaves a state the keyring reads (it loads `.next` and `.old` too) and that
 * running this command again completes.
 *
 * EFACT_MASTER_KEY: the new key comes from EFACT_NEW_MASTER_KEY; afterwards the operator puts
 * the new value in EFACT_MASTER_KEY (servers still on the old one refuse to write secrets).
 *
 * A token refresh in flight holds a lease on its profile; rotation refuses to run across one,
 * because the refreshed pair would be sealed under the retired key.
 */
import { existsSync, openSync, closeSync, fsyncSync, renameSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { EfactError } from '../domain/errors.js';
import type { StoreSchema } from '../adapters/store/schema.js';
import { open, parseEnvelope, seal, type MasterKey } from './envelope.js';
import { loadKeyring, newMasterKey, NEW_MASTER_KEY_VARIABLE, parseMasterKey, readKeyFile, writeKeyFile, type Keyring } from './keyring.js';
import { accessTokenName, refreshTokenName } from './names.js';

export interface RotateOptions {
  db: Kysely<StoreSchema>;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** PostgreSQL: lock the profile rows read (FOR UPDATE). */
  rowLocks: boolean;
}

export interface RotateResult {
  from: string;
  to: string;
  secrets: number;
  tokens: number;
  source: 'env' | 'file';
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not every platform can fsync a folder
  }
}

/** Puts `master.key.next` in place of `master.key` (the old key kept until the new one is there). */
function promoteKeyFile(file: string): void {
  const next = `${file}.next`;
  const old = `${file}.old`;
  if (!existsSync(next)) return;
  if (existsSync(file)) renameSync(file, old);
  renameSync(next, file);
  fsyncDir(path.dirname(file));
  if (existsSync(old)) unlinkSync(old);
}

export async function rotateMasterKey(options: RotateOptions): Promise<RotateResult> {
  const env = options.env ?? process.env;
  const keyring: Keyring = loadKeyring({ dataDir: options.dataDir, env, create: false });
  const activeRow = await options.db.selectFrom('vault_keys').select('key_id').where('state', '=', 'active').executeTakeFirst();
  const activeId = activeRow?.key_id ?? keyring.primary.id;

  let next: MasterKey;
  if (keyring.source.kind === 'env') {
    const text = env[NEW_MASTER_KEY_VARIABLE];
    if (text === undefined || text.trim() === '') {
      throw new EfactError('INVALID_CONFIG', `the master key comes from EFACT_MASTER_KEY: set ${NEW_MASTER_KEY_VARIABLE} to the new key (openssl rand -base64 32) and run again`);
    }
    next = parseMasterKey(text, NEW_MASTER_KEY_VARIABLE);
    keyring.keys.set(next.id, next);
  } else {
    const nextFile = `${keyring.source.file}.next`;
    if (existsSync(nextFile)) {
      // An earlier run stopped half-way: finish it with the same new key.
      next = readKeyFile(nextFile);
      if (next.id === activeId) {
        promoteKeyFile(keyring.source.file);
        return { from: activeId, to: next.id, secrets: 0, tokens: 0, source: 'file' };
      }
    } else {
      next = newMasterKey();
      writeKeyFile(nextFile, next);
    }
    keyring.keys.set(next.id, next);
  }
  if (next.id === activeId) throw new EfactError('INVALID_CONFIG', 'the new master key is the key already in use');

  const keyFor = (envelope: string, name: string): MasterKey => {
    const id = parseEnvelope(envelope).keyId;
    const key = keyring.keys.get(id);
    if (key === undefined) throw new EfactError('INVALID_CONFIG', `secret ${name} is under master key ${id}, which is not loaded: rotation stopped, nothing changed`);
    return key;
  };
  const reseal = (name: string, envelope: string): string => seal(next, name, open(keyFor(envelope, name), name, envelope));
  const now = (options.now ?? (() => new Date()))().getTime();

  const counts = await options.db.transaction().execute(async (trx) => {
    let profilesQuery = trx.selectFrom('oauth_profiles').selectAll();
    if (options.rowLocks) profilesQuery = profilesQuery.forUpdate();
    const profiles = await profilesQuery.execute();
    const busy = profiles.filter((p) => p.refresh_owner !== null && Number(p.refresh_until ?? 0) > now);
    if (busy.length > 0) {
      throw new EfactError('CONFLICT', `a token refresh is in progress for OAuth profile ${busy.map((p) => p.name).join(', ')}; try again in a minute`);
    }
    let tokens = 0;
    for (const p of profiles) {
      if (p.access_token === null && p.refresh_token === null) continue;
      await trx
        .updateTable('oauth_profiles')
        .set({
          access_token: p.access_token === null ? null : reseal(accessTokenName(p.name), p.access_token),
          refresh_token: p.refresh_token === null ? null : reseal(refreshTokenName(p.name), p.refresh_token),
          key_id: next.id,
        })
        .where('name', '=', p.name)
        .execute();
      tokens++;
    }
    const secrets = await trx.selectFrom('secrets').select(['name', 'envelope']).execute();
    for (const s of secrets) {
      await trx.updateTable('secrets').set({ envelope: reseal(s.name, s.envelope), key_id: next.id, updated_at: now }).where('name', '=', s.name).execute();
    }
    await trx.updateTable('vault_keys').set({ state: 'retired', retired_at: now }).where('state', '=', 'active').execute();
    await trx
      .insertInto('vault_keys')
      .values({ key_id: next.id, state: 'active', created_at: now, retired_at: null })
      .onConflict((oc) => oc.column('key_id').doUpdateSet({ state: 'active', retired_at: null }))
      .execute();
    return { secrets: secrets.length, tokens };
  });

  if (keyring.source.kind === 'file') promoteKeyFile(keyring.source.file);
  return { from: activeId, to: next.id, ...counts, source: keyring.source.kind };
}
