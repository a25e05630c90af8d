/**
 * OAuth profiles and pending logins in the store (tables of migration 0004). Every write that
 * matters is ONE statement, compare-and-set where two instances may race:
 * - the refresh lease: taken only at the expected token_version and when free or lapsed;
 * - the rotated pair: written only at the expected token_version and while the key it was
 *   sealed under is still the active one (a rotation may have run in between).
 * One statement needs no transaction across awaits, so it is equally safe for two SQLite
 * handles in one process, two processes, or many instances on PostgreSQL.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { OAuthLoginsTable, OAuthProfilesTable, StoreSchema } from '../../store/schema.js';

export type ProfileRow = Selectable<OAuthProfilesTable>;
export type LoginRow = Selectable<OAuthLoginsTable>;

export type TokenHead = Pick<ProfileRow, 'token_version' | 'key_id' | 'access_expires_at'>;

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export interface TokenWrite {
  accessEnvelope: string;
  refreshEnvelope: string;
  keyId: string;
  accessExpiresAt: number;
  refreshExpiresAt: number;
  /** 'login' sets obtained_at, 'refresh' refreshed_at. */
  kind: 'login' | 'refresh';
  at: number;
}

export class OAuthProfileRepository {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  async upsert(name: string, clientId: string, redirectUri: string, at: number): Promise<void> {
    await this.db
      .insertInto('oauth_profiles')
      .values({ name, client_id: clientId, redirect_uri: redirectUri, created_at: at, updated_at: at })
      .onConflict((oc) => oc.column('name').doUpdateSet({ client_id: clientId, redirect_uri: redirectUri, updated_at: at }))
      .execute();
  }

  get(name: string): Promise<ProfileRow | undefined> {
    return this.db.selectFrom('oauth_profiles').selectAll().where('name', '=', name).executeTakeFirst();
  }

  /**
   * What says whether a cached access token is still the stored one, without the envelopes:
   * token_version moves on every login, refresh and revoke; key_id on every master key rotation.
   */
  head(name: string): Promise<TokenHead | undefined> {
    return this.db
      .selectFrom('oauth_profiles')
      .select(['token_version', 'key_id', 'access_expires_at'])
      .where('name', '=', name)
      .executeTakeFirst();
  }

  list(): Promise<ProfileRow[]> {
    return this.db.selectFrom('oauth_profiles').selectAll().orderBy('name').execute();
  }

  async remove(name: string): Promise<void> {
    await this.db.deleteFrom('oauth_profiles').where('name', '=', name).execute();
  }

  /** Takes the refresh lease if the profile is still at `version` and nobody holds a live lease. */
  async acquireLease(name: string, version: number, owner: string, until: number, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('oauth_profiles')
      .set({ refresh_owner: owner, refresh_until: until })
      .where('name', '=', name)
      .where('token_version', '=', version)
      .where((eb) => eb.or([eb('refresh_owner', 'is', null), eb('refresh_until', '<', now), eb('refresh_owner', '=', owner)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.db.updateTable('oauth_profiles').set({ refresh_owner: null, refresh_until: null }).where('name', '=', name).where('refresh_owner', '=', owner).execute();
  }

  /**
   * Writes a token pair, bumping token_version, if the profile is still at `version` (null: any)
   * and `keyId` is the active master key. Clears the lease and the last error.
   */
  async writeTokens(name: string, version: number | null, t: TokenWrite): Promise<boolean> {
    let q = this.db
      .updateTable('oauth_profiles')
      .set({
        access_token: t.accessEnvelope,
        refresh_token: t.refreshEnvelope,
        key_id: t.keyId,
        access_expires_at: t.accessExpiresAt,
        refresh_expires_at: t.refreshExpiresAt,
        token_version: sql<number>`token_version + 1`,
        refresh_owner: null,
        refresh_until: null,
        last_error: null,
        updated_at: t.at,
        ...(t.kind === 'login' ? { obtained_at: t.at, refreshed_at: null } : { refreshed_at: t.at }),
      })
      .where('name', '=', name)
      .where((eb) => eb.exists(eb.selectFrom('vault_keys').select('key_id').where('key_id', '=', t.keyId).where('state', '=', 'active')));
    if (version !== null) q = q.where('token_version', '=', version);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async clearTokens(name: string, at: number, lastError: string | null): Promise<void> {
    await this.db
      .updateTable('oauth_profiles')
      .set({
        access_token: null,
        refresh_token: null,
        key_id: null,
        access_expires_at: null,
        refresh_expires_at: null,
        token_version: sql<number>`token_version + 1`,
        refresh_owner: null,
        refresh_until: null,
        last_error: lastError,
        updated_at: at,
      })
      .where('name', '=', name)
      .execute();
  }

  async setError(name: string, message: string, owner: string | null, at: number): Promise<void> {
    let q = this.db.updateTable('oauth_profiles').set({ last_error: message, updated_at: at }).where('name', '=', name);
    if (owner !== null) q = q.set({ refresh_owner: null, refresh_until: null });
    await q.execute();
  }

  async createLogin(row: { state: string; profile: string; companyCif: string | null; at: number; expiresAt: number }): Promise<void> {
    await this.db
      .insertInto('oauth_logins')
      .values({ state: row.state, profile: row.profile, company_cif: row.companyCif, created_at: row.at, expires_at: row.expiresAt })
      .execute();
    // Old logins are of no use to anybody.
    await this.db.deleteFrom('oauth_logins').where('expires_at', '<', row.at - 24 * 3600_000).execute();
  }

  getLogin(state: string): Promise<LoginRow | undefined> {
    return this.db.selectFrom('oauth_logins').selectAll().where('state', '=', state).executeTakeFirst();
  }

  /** Claims a pending login for its one callback; false when already used. */
  async claimLogin(state: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('oauth_logins')
      .set({ completed_at: at, outcome: 'exchanging' })
      .where('state', '=', state)
      .where('completed_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async finishLogin(state: string, outcome: 'ok' | 'failed', message: string | null, at: number): Promise<void> {
    await this.db.updateTable('oauth_logins').set({ completed_at: at, outcome, message }).where('state', '=', state).execute();
  }
}
