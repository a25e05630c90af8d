/**
 * The vault over the store's `secrets` and `vault_keys` tables (migration 0004). Values are
 * sealed under the master key the store names as active; any key of the keyring opens the
 * envelopes that name it.
 */
import type { Kysely } from 'kysely';
import { EfactError } from '../domain/errors.js';
import type { SecretInfo, SecretVault } from '../ports/secrets.js';
import type { StoreSchema } from '../adapters/store/schema.js';
import { open, parseEnvelope, seal, type MasterKey } from './envelope.js';
import { loadKeyring, type Keyring, type KeyringOptions } from './keyring.js';

const toMillis = (v: unknown): number => Number(v);

export interface SqlVaultOptions extends KeyringOptions {
  db: Kysely<StoreSchema>;
  now?: () => Date;
}

export class SqlVault implements SecretVault {
  #keyring: Keyring;
  #active: MasterKey;

  private constructor(
    private readonly db: Kysely<StoreSchema>,
    private readonly options: SqlVaultOptions,
    keyring: Keyring,
    active: MasterKey,
  ) {
    this.#keyring = keyring;
    this.#active = active;
  }

  /** Loads (or creates) the master key and makes sure the store's secrets are under a key it holds. */
  static async open(options: SqlVaultOptions): Promise<SqlVault> {
    const keyring = loadKeyring(options);
    const now = (options.now ?? (() => new Date()))().getTime();
    // The first key ever used becomes active; later ones only through `efact keys rotate`.
    const active = await options.db.selectFrom('vault_keys').select('key_id').where('state', '=', 'active').executeTakeFirst();
    if (active === undefined) {
      await options.db
        .insertInto('vault_keys')
        .values({ key_id: keyring.primary.id, state: 'active', created_at: now, retired_at: null })
        .onConflict((oc) => oc.column('key_id').doNothing())
        .execute();
    }
    const vault = new SqlVault(options.db, options, keyring, keyring.primary);
    vault.#active = await vault.activeKey();
    return vault;
  }

  /** The fingerprint of the active master key. */
  get keyId(): string {
    return this.#active.id;
  }

  get keyring(): Keyring {
    return this.#keyring;
  }

  /** The key the store says is active, reloading the keyring once if this process lacks it (a rotation ran elsewhere). */
  async activeKey(): Promise<MasterKey> {
    const row = await this.db.selectFrom('vault_keys').select('key_id').where('state', '=', 'active').executeTakeFirst();
    if (row === undefined) throw new EfactError('INTERNAL', 'the store names no active master key (vault_keys is empty)');
    const key = this.keyFor(row.key_id);
    this.#active = key;
    return key;
  }

  private keyFor(keyId: string): MasterKey {
    let key = this.#keyring.keys.get(keyId);
    if (key === undefined) {
      this.#keyring = loadKeyring({ ...this.options, create: false });
      key = this.#keyring.keys.get(keyId);
    }
    if (key === undefined) {
      const where = this.#keyring.source.kind === 'env' ? 'EFACT_MASTER_KEY' : this.#keyring.source.file;
      throw new EfactError(
        'INVALID_CONFIG',
        `the stored secrets are encrypted under master key ${keyId}, but ${where} holds key ${this.#keyring.primary.id}: wrong master key (or the store was copied without its key)`,
        { details: { storeKeyId: keyId, loadedKeyId: this.#keyring.primary.id } },
      );
    }
    return key;
  }

  async seal(name: string, value: string): Promise<{ envelope: string; keyId: string }> {
    const key = await this.activeKey();
    return { envelope: seal(key, name, value), keyId: key.id };
  }

  open(name: string, envelope: string): string {
    return open(this.keyFor(parseEnvelope(envelope).keyId), name, envelope);
  }

  async put(name: string, value: string): Promise<void> {
    const { envelope, keyId } = await this.seal(name, value);
    const at = (this.options.now ?? (() => new Date()))().getTime();
    await this.db
      .insertInto('secrets')
      .values({ name, envelope, key_id: keyId, created_at: at, updated_at: at })
      .onConflict((oc) => oc.column('name').doUpdateSet({ envelope, key_id: keyId, updated_at: at }))
      .execute();
  }

  async get(name: string): Promise<string | null> {
    const row = await this.db.selectFrom('secrets').select('envelope').where('name', '=', name).executeTakeFirst();
    return row === undefined ? null : this.open(name, row.envelope);
  }

  async delete(name: string): Promise<void> {
    await this.db.deleteFrom('secrets').where('name', '=', name).execute();
  }

  async list(): Promise<SecretInfo[]> {
    const rows = await this.db.selectFrom('secrets').select(['name', 'key_id', 'updated_at']).orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, keyId: r.key_id, updatedAt: new Date(toMillis(r.updated_at)) }));
  }
}
