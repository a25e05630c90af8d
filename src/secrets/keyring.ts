/**
 * Where the master key comes from: `EFACT_MASTER_KEY` (32 bytes as 64 hex digits or base64), or
 * the key file `<dataDir>/master.key` (base64), created with mode 0600 on first run. A key file
 * other users may read is refused: the key opens every secret.
 *
 * A keyring holds the active key and the others it may meet while a rotation is under way or
 * was interrupted (`master.key.next`, `master.key.old`, or EFACT_NEW_MASTER_KEY /
 * EFACT_OLD_MASTER_KEY): envelopes name their key, so each is opened with the right one.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { EfactError } from '../domain/errors.js';
import { MASTER_KEY_BYTES, masterKey, type MasterKey } from './envelope.js';

export const MASTER_KEY_VARIABLE = 'EFACT_MASTER_KEY';
export const NEW_MASTER_KEY_VARIABLE = 'EFACT_NEW_MASTER_KEY';
export const OLD_MASTER_KEY_VARIABLE = 'EFACT_OLD_MASTER_KEY';
export const KEY_FILE = 'master.key';

/** Parses a key given as 64 hex digits or base64 / base64url of 32 bytes. */
export function parseMasterKey(text: string, where: string): MasterKey {
  const t = text.trim();
  let bytes: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(t)) bytes = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(t)) bytes = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes === null || bytes.length !== MASTER_KEY_BYTES) {
    throw new EfactError('INVALID_CONFIG', `${where} must be ${MASTER_KEY_BYTES} bytes written as 64 hex digits or base64 (44 characters); generate one with: openssl rand -base64 32`);
  }
  return masterKey(bytes);
}

export function newMasterKey(): MasterKey {
  return masterKey(randomBytes(MASTER_KEY_BYTES));
}

/** Refuses a key file that group or other users may read or write (POSIX only). */
export function checkKeyFileMode(file: string): void {
  if (process.platform === 'win32') return;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new EfactError(
      'INVALID_CONFIG',
      `the master key file ${file} is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); it opens every stored secret. Run: chmod 600 ${file}`,
      { details: { file, mode: mode.toString(8) } },
    );
  }
}

export function readKeyFile(file: string): MasterKey {
  checkKeyFileMode(file);
  return parseMasterKey(readFileSync(file, 'utf8'), `the key file ${file}`);
}

/** Writes a key file with mode 0600; refuses to replace an existing file. */
export function writeKeyFile(file: string, key: MasterKey): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, `${key.key.toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export type KeySource = { kind: 'env' } | { kind: 'file'; file: string };

export interface Keyring {
  /** The key new envelopes are sealed with (before the store's word on which one is active). */
  primary: MasterKey;
  /** Every key known, by id. */
  keys: Map<string, MasterKey>;
  source: KeySource;
}

export interface KeyringOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Create `<dataDir>/master.key` when there is neither a variable nor a file (default true). */
  create?: boolean;
}

export function keyFileOf(dataDir: string): string {
  return path.join(dataDir, KEY_FILE);
}

export function loadKeyring(options: KeyringOptions): Keyring {
  const env = options.env ?? process.env;
  const keys = new Map<string, MasterKey>();
  const add = (k: MasterKey): MasterKey => {
    keys.set(k.id, k);
    return k;
  };
  const fromEnv = env[MASTER_KEY_VARIABLE];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const primary = add(parseMasterKey(fromEnv, MASTER_KEY_VARIABLE));
    for (const v of [NEW_MASTER_KEY_VARIABLE, OLD_MASTER_KEY_VARIABLE]) {
      const extra = env[v];
      if (extra !== undefined && extra.trim() !== '') add(parseMasterKey(extra, v));
    }
    return { primary, keys, source: { kind: 'env' } };
  }
  const file = keyFileOf(options.dataDir);
  let primary: MasterKey;
  if (existsSync(file)) primary = add(readKeyFile(file));
  else if (options.create ?? true) {
    primary = add(newMasterKey());
    writeKeyFile(file, primary);
  } else {
    throw new EfactError('INVALID_CONFIG', `no master key: set ${MASTER_KEY_VARIABLE} or run \`efact serve\` once to create ${file}`);
  }
  for (const extra of [`${file}.next`, `${file}.old`]) {
    if (existsSync(extra)) add(readKeyFile(extra));
  }
  return { primary, keys, source: { kind: 'file', file } };
}
