import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqlStore } from '../adapters/store/sql-store.js';
import { open, parseEnvelope, seal, masterKey } from './envelope.js';
import { KEY_FILE, loadKeyring, parseMasterKey } from './keyring.js';
import { mask } from './mask.js';
import { decryptWithPartnerKey, encryptForPartnerKey, issuePartnerKey, openPartnerPayload } from './partner-key.js';
import { rotateMasterKey } from './rotate.js';
import { SqlVault } from './sql-vault.js';
import { accessTokenName } from './names.js';
import { storeKinds } from './testing/stores.js';

describe('envelope', () => {
  const key = masterKey(randomBytes(32));

  it('round-trips text of any kind', () => {
    for (const value of ['', 'secret', 'ăîșț — 💶', 'x'.repeat(100_000)]) {
      const env = seal(key, 'n', value);
      expect(env.startsWith(`efs1.${key.id}.`)).toBe(true);
      expect(open(key, 'n', env)).toBe(value);
    }
  });

  it('never repeats a ciphertext for the same value (fresh IV)', () => {
    expect(seal(key, 'n', 'same')).not.toBe(seal(key, 'n', 'same'));
  });

  it('detects a changed byte through the GCM tag', () => {
    const env = seal(key, 'n', 'the client secret');
    const p = parseEnvelope(env);
    p.ciphertext[0] = p.ciphertext[0]! ^ 1;
    const tampered = ['efs1', p.keyId, p.iv.toString('base64url'), p.tag.toString('base64url'), p.ciphertext.toString('base64url')].join('.');
    expect(() => open(key, 'n', tampered)).toThrow(/integrity check/);
    const tag = Buffer.from(parseEnvelope(env).tag);
    tag[3] = tag[3]! ^ 0x80;
    const badTag = env.split('.').map((part, i) => (i === 3 ? tag.toString('base64url') : part)).join('.');
    expect(() => open(key, 'n', badTag)).toThrow(/integrity check/);
  });

  it('refuses an envelope moved to another name', () => {
    expect(() => open(key, 'other', seal(key, 'n', 'v'))).toThrow(/integrity check/);
  });

  it('refuses the wrong key, naming both key ids', () => {
    const other = masterKey(randomBytes(32));
    expect(() => open(other, 'n', seal(key, 'n', 'v'))).toThrow(new RegExp(`master key ${key.id}.*loaded key ${other.id}`));
    // the same key id with other bytes (a forged id) still fails the tag
    const forged = { id: key.id, key: randomBytes(32) };
    expect(() => open(forged, 'n', seal(key, 'n', 'v'))).toThrow(/integrity check/);
  });

  it('parses master keys from hex and base64, and refuses other lengths', () => {
    const raw = randomBytes(32);
    expect(parseMasterKey(raw.toString('hex'), 'K').id).toBe(masterKey(raw).id);
    expect(parseMasterKey(raw.toString('base64'), 'K').id).toBe(masterKey(raw).id);
    expect(parseMasterKey(raw.toString('base64url'), 'K').id).toBe(masterKey(raw).id);
    expect(() => parseMasterKey(randomBytes(16).toString('hex'), 'EFACT_MASTER_KEY')).toThrow(/EFACT_MASTER_KEY must be 32 bytes/);
  });
});

describe('mask', () => {
  it('shows only the ends of long values and almost nothing of short ones', () => {
    expect(mask('abcdefghijklmnopqrstuvwxyz')).toBe('abcd…wxyz');
    expect(mask('0123456789ab')).toBe('••••ab');
    expect(mask('short')).toBe('••••');
    expect(mask(null)).toBeNull();
  });
});

describe('partner key (InvoiCy style)', () => {
  it('opens what a partner encrypted with the 32-character key, and refuses another key', () => {
    const key = 'A'.repeat(16) + 'b'.repeat(16);
    const sent = encryptForPartnerKey(key, 'parola certificat');
    expect(decryptWithPartnerKey(key, sent)).toBe('parola certificat');
    expect(() => decryptWithPartnerKey('C'.repeat(32), sent)).toThrow(/does not open/);
  });
});

for (const kind of storeKinds()) {
  describe(`vault over ${kind.name}`, () => {
    const opened: SqlStore[] = [];
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      for (const c of cleanups.splice(0)) await c();
    });
    const setup = async () => {
      const db = await kind.create();
      cleanups.push(db.cleanup);
      const store = await db.open();
      opened.push(store);
      return { dir: db.dir, store, openAgain: async () => {
        const s = await db.open();
        opened.push(s);
        return s;
      } };
    };

    it('creates a 0600 key file on first run and keeps only envelopes in the store', async () => {
      const { dir, store } = await setup();
      const vault = await SqlVault.open({ db: store.db, dataDir: dir, env: {} });
      const file = path.join(dir, KEY_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      await vault.put('oauth/p/client-secret', 'the-client-secret-value');
      expect(await vault.get('oauth/p/client-secret')).toBe('the-client-secret-value');
      expect(await vault.get('missing')).toBeNull();
      const rows = await store.db.selectFrom('secrets').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.envelope).not.toContain('the-client-secret-value');
      expect(rows[0]!.key_id).toBe(vault.keyId);
      expect((await vault.list()).map((s) => s.name)).toEqual(['oauth/p/client-secret']);
      await vault.delete('oauth/p/client-secret');
      expect(await vault.get('oauth/p/client-secret')).toBeNull();
    });

    it('refuses a key file other users can read', async () => {
      const { dir, store } = await setup();
      await SqlVault.open({ db: store.db, dataDir: dir, env: {} });
      chmodSync(path.join(dir, KEY_FILE), 0o644);
      await expect(SqlVault.open({ db: store.db, dataDir: dir, env: {} })).rejects.toThrow(/readable by other users \(mode 0644\).*chmod 600/);
    });

    it('takes the key from EFACT_MASTER_KEY and refuses a store sealed under another key', async () => {
      const { dir, store } = await setup();
      const env = { EFACT_MASTER_KEY: randomBytes(32).toString('base64') };
      const vault = await SqlVault.open({ db: store.db, dataDir: dir, env });
      expect(existsSync(path.join(dir, KEY_FILE))).toBe(false);
      await vault.put('s', 'v');
      const wrong = { EFACT_MASTER_KEY: randomBytes(32).toString('hex') };
      await expect(SqlVault.open({ db: store.db, dataDir: dir, env: wrong })).rejects.toThrow(/wrong master key/);
    });

    it('partner keys are stored in the vault and open partner payloads', async () => {
      const { dir, store } = await setup();
      const vault = await SqlVault.open({ db: store.db, dataDir: dir, env: {} });
      const key = await issuePartnerKey(vault, '8000000000');
      expect(key).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(await openPartnerPayload(vault, '8000000000', encryptForPartnerKey(key, 'pw'))).toBe('pw');
    });

    it('rotates every secret and token to a new key file in one go; the old key opens nothing afterwards', async () => {
      const { dir, store, openAgain } = await setup();
      const vault = await SqlVault.open({ db: store.db, dataDir: dir, env: {} });
      const oldKeyText = readFileSync(path.join(dir, KEY_FILE), 'utf8');
      for (let i = 0; i < 5; i++) await vault.put(`s${i}`, `value-${i}`);
      const access = await vault.seal(accessTokenName('p'), 'access-token-value');
      await store.db
        .insertInto('oauth_profiles')
        .values({ name: 'p', client_id: 'c', redirect_uri: 'http://127.0.0.1/cb', access_token: access.envelope, key_id: access.keyId, created_at: 0, updated_at: 0 })
        .execute();

      const result = await rotateMasterKey({ db: store.db, dataDir: dir, env: {}, rowLocks: kind.name === 'postgres' });
      expect(result).toMatchObject({ from: vault.keyId, secrets: 5, tokens: 1, source: 'file' });
      expect(result.to).not.toBe(result.from);
      expect(existsSync(path.join(dir, `${KEY_FILE}.next`))).toBe(false);
      expect(existsSync(path.join(dir, `${KEY_FILE}.old`))).toBe(false);
      expect(statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(readFileSync(path.join(dir, KEY_FILE), 'utf8')).not.toBe(oldKeyText);

      // A vault opened afresh (another process) reads everything under the new key.
      const other = await openAgain();
      const fresh = await SqlVault.open({ db: other.db, dataDir: dir, env: {} });
      expect(fresh.keyId).toBe(result.to);
      for (let i = 0; i < 5; i++) expect(await fresh.get(`s${i}`)).toBe(`value-${i}`);
      const row = await other.db.selectFrom('oauth_profiles').selectAll().executeTakeFirstOrThrow();
      expect(row.key_id).toBe(result.to);
      expect(fresh.open(accessTokenName('p'), row.access_token!)).toBe('access-token-value');
      // The vault opened before the rotation follows it (reloads the key file) instead of failing.
      expect(await vault.get('s1')).toBe('value-1');
      expect((await vault.seal('x', 'y')).keyId).toBe(result.to);
      // The old key no longer opens anything.
      const oldKey = parseMasterKey(oldKeyText, 'old');
      const envelope = (await store.db.selectFrom('secrets').select('envelope').where('name', '=', 's0').executeTakeFirstOrThrow()).envelope;
      expect(() => open(oldKey, 's0', envelope)).toThrow();
    });

    it('a rotation interrupted before its transaction leaves everything readable and completes when run again', async () => {
      const { dir, store } = await setup();
      const vault = await SqlVault.open({ db: store.db, dataDir: dir, env: {} });
      await vault.put('s', 'v');
      // As if a first run wrote master.key.next and then died.
      writeFileSync(path.join(dir, `${KEY_FILE}.next`), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
      expect(loadKeyring({ dataDir: dir, env: {} }).keys.size).toBe(2);
      expect(await (await SqlVault.open({ db: store.db, dataDir: dir, env: {} })).get('s')).toBe('v');
      const result = await rotateMasterKey({ db: store.db, dataDir: dir, env: {}, rowLocks: false });
      expect(result.secrets).toBe(1);
      expect(await (await SqlVault.open({ db: store.db, dataDir: dir, env: {} })).get('s')).toBe('v');
    });

    it('rotates under EFACT_NEW_MASTER_KEY when the key comes from the environment', async () => {
      const { dir, store } = await setup();
      const env = { EFACT_MASTER_KEY: randomBytes(32).toString('base64') };
      const vault = await SqlVault.open({ db: store.db, dataDir: dir, env });
      await vault.put('s', 'v');
      await expect(rotateMasterKey({ db: store.db, dataDir: dir, env, rowLocks: false })).rejects.toThrow(/EFACT_NEW_MASTER_KEY/);
      const next = randomBytes(32).toString('hex');
      await rotateMasterKey({ db: store.db, dataDir: dir, env: { ...env, EFACT_NEW_MASTER_KEY: next }, rowLocks: false });
      expect(await (await SqlVault.open({ db: store.db, dataDir: dir, env: { EFACT_MASTER_KEY: next } })).get('s')).toBe('v');
      await expect(SqlVault.open({ db: store.db, dataDir: dir, env })).rejects.toThrow(/wrong master key/);
    });

    it('refuses to rotate across a token refresh in flight, changing nothing', async () => {
      const { dir, store } = await setup();
      const vault = await SqlVault.open({ db: store.db, dataDir: dir, env: {} });
      await vault.put('s', 'v');
      await store.db
        .insertInto('oauth_profiles')
        .values({ name: 'p', client_id: 'c', redirect_uri: 'x', refresh_owner: 'other', refresh_until: Date.now() + 60_000, created_at: 0, updated_at: 0 })
        .execute();
      await expect(rotateMasterKey({ db: store.db, dataDir: dir, env: {}, rowLocks: kind.name === 'postgres' })).rejects.toThrow(/refresh is in progress/);
      expect((await store.db.selectFrom('secrets').select('key_id').executeTakeFirstOrThrow()).key_id).toBe(vault.keyId);
    });
  });
}
