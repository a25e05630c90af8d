/**
 * ANAF OAuth for Efact: profiles (client id, secret in the vault, redirect URI), the
 * authorization-code login, refresh ahead of expiry, revoke, and status.
 *
 * Refresh and the lost-token problem: ANAF rotates the refresh token on every refresh and the
 * old one stops working, so a refreshed pair that is not stored locks the company out until a
 * person logs in again with the certificate. Hence:
 * 1. one instance at a time may spend the refresh token: it first takes a lease on the profile
 *    row (compare-and-set on token_version, see profiles.ts); the others wait and then read the
 *    pair the winner stored;
 * 2. the new pair is written in ONE statement (both envelopes, expiries, token_version + 1).
 *
 * The access token of every platform call comes from a small cache in memory (per profile, so
 * per company through its profile), trusted only while the stored row still has the same
 * token_version and key_id: one narrow read per call instead of reading and decrypting the
 * envelope. A refresh, login or revoke (token_version + 1) or a master key rotation (key_id)
 * by this or any other instance sharing the store makes the next call read the row again.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { EfactError, isEfactError } from '../../../domain/errors.js';
import type { Clock } from '../../../ports/clock.js';
import type { OAuthProfileStatus } from '../../../ports/oauth.js';
import type { SecretVault } from '../../../ports/secrets.js';
import { mask } from '../../../secrets/mask.js';
import { accessTokenName, clientSecretName, refreshTokenName } from '../../../secrets/names.js';
import { jwtExpiry, type AnafOAuthEndpoint, type ClientCredentials, type TokenAnswer } from './endpoint.js';
import { num, type OAuthProfileRepository, type ProfileRow, type TokenHead } from './profiles.js';

const DAY_MS = 24 * 3600_000;

export interface OAuthSettings {
  /** Refresh when the access token has fewer days left than this. */
  refreshDaysBefore: number;
  /** Warn from this many days before an expiry. */
  warnDaysBefore: number;
  /** Assumed life of a refresh token when ANAF's answer does not say (not a JWT). */
  refreshTokenDays: number;
  /** Assumed life of an access token without expires_in or exp. */
  accessTokenDays: number;
  /** How long a started login waits for its callback. */
  loginTimeoutMinutes: number;
  /** How long a refresh lease lasts (longer than the token call's timeout). */
  leaseSeconds: number;
}

export const DEFAULT_OAUTH_SETTINGS: OAuthSettings = {
  refreshDaysBefore: 30,
  warnDaysBefore: 14,
  refreshTokenDays: 365,
  accessTokenDays: 90,
  loginTimeoutMinutes: 10,
  leaseSeconds: 120,
};

export interface OAuthServiceOptions {
  repo: OAuthProfileRepository;
  vault: SecretVault;
  endpoint: AnafOAuthEndpoint;
  clock: Pick<Clock, 'now'>;
  /** Who takes refresh leases (e.g. "server-1:pid"). */
  owner: string;
  settings?: Partial<OAuthSettings>;
  /** Which companies (CIFs) use which profile, for status. */
  companiesOf?: (profile: string) => string[] | Promise<string[]>;
}

/** A decrypted access token and the row state it was read at. */
interface CachedToken {
  version: number;
  keyId: string | null;
  token: string;
}

export interface LoginStart {
  url: string;
  state: string;
  profile: string;
  expiresAt: Date;
}

export interface LoginResult {
  profile: string;
  companyCif: string | null;
  accessExpiresAt: Date;
  refreshExpiresAt: Date;
}

/** The message for `error=access_denied` at the callback: the likely causes, in the guide's order. */
export function accessDeniedMessage(redirectUri: string | null): string {
  return (
    'ANAF answered error=access_denied. Most likely causes: (1) the qualified certificate was not presented — ' +
    'open the link on a computer where the certificate works for SPV, and select it when the browser asks ' +
    '(with a cloud certificate its vendor application must be running and signed in; ANAF recommends Chrome); ' +
    "(2) the request was malformed — the client_id or the redirect_uri does not match the OAuth profile registered at ANAF" +
    (redirectUri ? ` (the redirect_uri sent was ${redirectUri}; the Callback URL registered at ANAF must be exactly this)` : '') +
    '; (3) e-Factura is not activated in SPV for this certificate.'
  );
}

export class OAuthService {
  readonly settings: OAuthSettings;
  readonly #tokens = new Map<string, CachedToken>();
  /** Calls answered from the cache / by reading and decrypting the row (tests and benchmarks read them). */
  readonly tokenReads = { cached: 0, decrypted: 0 };

  constructor(private readonly options: OAuthServiceOptions) {
    this.settings = { ...DEFAULT_OAUTH_SETTINGS, ...options.settings };
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }

  get endpoint(): AnafOAuthEndpoint {
    return this.options.endpoint;
  }

  /** Creates or updates a profile; the client secret goes to the vault (kept when not given). */
  async saveProfile(input: { name: string; clientId: string; redirectUri: string; clientSecret?: string }): Promise<void> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(input.name)) {
      throw new EfactError('INVALID_REQUEST', `an OAuth profile name is 1–64 letters, digits, '.', '_' or '-', got ${JSON.stringify(input.name)}`);
    }
    try {
      const u = new URL(input.redirectUri);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    } catch {
      throw new EfactError('INVALID_REQUEST', `redirect URI ${JSON.stringify(input.redirectUri)} is not an http(s) address`);
    }
    if (input.clientId.trim() === '') throw new EfactError('INVALID_REQUEST', 'the client id is empty');
    if (input.clientSecret !== undefined) {
      if (input.clientSecret.trim() === '') throw new EfactError('INVALID_REQUEST', 'the client secret is empty');
      await this.options.vault.put(clientSecretName(input.name), input.clientSecret.trim());
    }
    await this.options.repo.upsert(input.name, input.clientId.trim(), input.redirectUri, this.now());
  }

  private async profileRow(name: string): Promise<ProfileRow> {
    const row = await this.options.repo.get(name);
    if (row === undefined) {
      throw new EfactError('NOT_FOUND', `no OAuth profile named ${name}; create it with: efact auth profile ${name} --client-id ID --redirect-uri URI`);
    }
    return row;
  }

  private async credentials(row: ProfileRow): Promise<ClientCredentials> {
    const secret = await this.options.vault.get(clientSecretName(row.name));
    if (secret === null) throw new EfactError('INVALID_CONFIG', `OAuth profile ${row.name} has no client secret; set it with: efact auth profile ${row.name} --client-id … --redirect-uri … (secret on stdin or EFACT_OAUTH_CLIENT_SECRET)`);
    return { clientId: row.client_id, clientSecret: secret, redirectUri: row.redirect_uri };
  }

  /** Starts a login: a fresh state, remembered in the store so any process may take the callback. */
  async beginLogin(profile: string, companyCif: string | null): Promise<LoginStart> {
    const row = await this.profileRow(profile);
    await this.credentials(row);
    const state = randomBytes(24).toString('base64url');
    const at = this.now();
    const expiresAt = at + this.settings.loginTimeoutMinutes * 60_000;
    await this.options.repo.createLogin({ state, profile, companyCif, at, expiresAt });
    return { url: this.options.endpoint.authorizeUrl({ clientId: row.client_id, redirectUri: row.redirect_uri }, state), state, profile, expiresAt: new Date(expiresAt) };
  }

  /**
   * The callback: checks the state, then exchanges the code at once (ANAF allows about 60 s)
   * and stores both tokens. Throws an EfactError a person can act on.
   */
  async completeLogin(query: Record<string, string | undefined>): Promise<LoginResult> {
    const state = query.state;
    if (!state) throw new EfactError('INVALID_REQUEST', 'the callback has no state parameter: it did not come from a login Efact started');
    const login = await this.options.repo.getLogin(state);
    if (login === undefined) throw new EfactError('INVALID_REQUEST', 'unknown login state: this callback does not belong to a login Efact started (start again with efact auth login)');
    const at = this.now();
    if (login.completed_at !== null) throw new EfactError('CONFLICT', 'this login was already completed; start a new one with efact auth login');
    if (at > Number(login.expires_at)) {
      await this.options.repo.finishLogin(state, 'failed', 'expired', at);
      throw new EfactError('INVALID_REQUEST', `the login expired (it waits ${this.settings.loginTimeoutMinutes} minutes); start again with efact auth login`);
    }
    if (!(await this.options.repo.claimLogin(state, at))) throw new EfactError('CONFLICT', 'this login was already completed; start a new one with efact auth login');
    const row = await this.profileRow(login.profile);
    try {
      if (query.error !== undefined) {
        const message =
          query.error === 'access_denied'
            ? accessDeniedMessage(row.redirect_uri)
            : `ANAF answered error=${query.error}${query.error_description ? ` (${query.error_description})` : ''}`;
        throw new EfactError('PLATFORM_AUTH', message, { details: { oauthError: query.error } });
      }
      if (!query.code) throw new EfactError('INVALID_REQUEST', 'the callback has neither a code nor an error');
      const answer = await this.options.endpoint.exchangeCode(await this.credentials(row), query.code);
      const written = await this.store(row.name, null, answer, 'login');
      await this.options.repo.finishLogin(state, 'ok', null, this.now());
      return { profile: row.name, companyCif: login.company_cif, accessExpiresAt: new Date(written.accessExpiresAt), refreshExpiresAt: new Date(written.refreshExpiresAt) };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      await this.options.repo.finishLogin(state, 'failed', message, this.now());
      throw e;
    }
  }

  private expiries(answer: TokenAnswer, at: number): { access: number; refresh: number } {
    const accessExp = jwtExpiry(answer.accessToken);
    const refreshExp = jwtExpiry(answer.refreshToken);
    return {
      access: answer.expiresIn !== null ? at + answer.expiresIn * 1000 : accessExp !== null ? accessExp * 1000 : at + this.settings.accessTokenDays * DAY_MS,
      refresh: refreshExp !== null ? refreshExp * 1000 : at + this.settings.refreshTokenDays * DAY_MS,
    };
  }

  /**
   * Seals and writes a pair; retried when a key rotation changed the active key in between.
   * `version` null: unconditional (a login replaces whatever was there).
   */
  private async store(name: string, version: number | null, answer: TokenAnswer, kind: 'login' | 'refresh'): Promise<{ accessExpiresAt: number; refreshExpiresAt: number }> {
    const at = this.now();
    const exp = this.expiries(answer, at);
    this.#tokens.delete(name);
    for (let attempt = 0; attempt < 3; attempt++) {
      const access = await this.options.vault.seal(accessTokenName(name), answer.accessToken);
      const refresh = await this.options.vault.seal(refreshTokenName(name), answer.refreshToken);
      if (access.keyId !== refresh.keyId) continue;
      const ok = await this.options.repo.writeTokens(name, version, {
        accessEnvelope: access.envelope,
        refreshEnvelope: refresh.envelope,
        keyId: access.keyId,
        accessExpiresAt: exp.access,
        refreshExpiresAt: exp.refresh,
        kind,
        at,
      });
      if (ok) return { accessExpiresAt: exp.access, refreshExpiresAt: exp.refresh };
      const row = await this.options.repo.get(name);
      if (version !== null && row !== undefined && row.token_version !== version) {
        // Cannot happen while we hold the lease; if it does, the newest pair wins and ours is spent.
        throw new EfactError('CONFLICT', `OAuth profile ${name} changed while its tokens were being refreshed; the stored pair was kept`);
      }
    }
    throw new EfactError('INTERNAL', `could not store the tokens of OAuth profile ${name}: the master key kept changing`);
  }

  private due(row: Pick<ProfileRow, 'access_expires_at'>, at: number): boolean {
    const access = num(row.access_expires_at);
    return access === null || access - at < this.settings.refreshDaysBefore * DAY_MS;
  }

  /**
   * Makes sure the profile's access token is not near its expiry, refreshing if it is (or when
   * `force`). Safe to call from many instances at once: one refreshes, the others wait for it.
   */
  async ensureFresh(name: string, options: { force?: boolean; waitMs?: number } = {}): Promise<ProfileRow> {
    let force = options.force ?? false;
    const deadline = Date.now() + (options.waitMs ?? this.settings.leaseSeconds * 1000 + 5_000);
    let startVersion: number | null = null;
    for (;;) {
      const row = await this.profileRow(name);
      if (startVersion === null) startVersion = row.token_version;
      else if (row.token_version !== startVersion) force = false; // another instance refreshed meanwhile
      if (row.refresh_token === null) {
        throw new EfactError('PLATFORM_AUTH', `OAuth profile ${name} has no tokens${row.last_error ? ` (${row.last_error})` : ''}: a person must log in with the certificate: efact auth login --profile ${name}`);
      }
      const at = this.now();
      if (!force && !this.due(row, at)) return row;
      const refreshExpires = num(row.refresh_expires_at);
      if (refreshExpires !== null && at >= refreshExpires) {
        const message = `the refresh token expired on ${new Date(refreshExpires).toISOString().slice(0, 10)}`;
        await this.options.repo.setError(name, message, null, at);
        throw new EfactError('PLATFORM_AUTH', `OAuth profile ${name}: ${message}; a person must log in again: efact auth login --profile ${name}`);
      }
      const owner = `${this.options.owner}:${randomBytes(4).toString('hex')}`;
      if (!(await this.options.repo.acquireLease(name, row.token_version, owner, at + this.settings.leaseSeconds * 1000, at))) {
        if (Date.now() > deadline) throw new EfactError('PLATFORM_UNAVAILABLE', `OAuth profile ${name}: another instance has been refreshing the tokens for too long`);
        await delay(50);
        continue;
      }
      return this.refreshUnderLease(row, owner);
    }
  }

  private async refreshUnderLease(row: ProfileRow, owner: string): Promise<ProfileRow> {
    const name = row.name;
    let answer: TokenAnswer;
    try {
      const refreshToken = this.options.vault.open(refreshTokenName(name), row.refresh_token!);
      answer = await this.options.endpoint.refresh(await this.credentials(row), refreshToken);
    } catch (e) {
      const at = this.now();
      if (isEfactError(e) && e.details?.oauthError === 'invalid_grant') {
        const message = `ANAF refused the refresh token (expired, revoked or already used): ${e.message}`;
        await this.options.repo.setError(name, message, owner, at);
        throw new EfactError('PLATFORM_AUTH', `OAuth profile ${name}: ${message}; a person must log in again: efact auth login --profile ${name}`, { cause: e });
      }
      // Nothing was spent that we know of: let go, the next attempt tries again.
      await this.options.repo.releaseLease(name, owner);
      throw e;
    }
    await this.store(name, row.token_version, answer, 'refresh');
    return this.profileRow(name);
  }

  /** Forgets every cached access token (after `efact keys rotate` in this process, say). */
  forgetTokens(): void {
    this.#tokens.clear();
  }

  /** The cached token when the stored row is still the one it was read from and needs no refresh. */
  private cached(name: string, head: TokenHead | undefined): string | null {
    const hit = this.#tokens.get(name);
    if (hit === undefined || head === undefined) return null;
    if (hit.version !== head.token_version || hit.keyId !== head.key_id || head.key_id === null) return null;
    const access = num(head.access_expires_at);
    if (access === null || this.due({ access_expires_at: head.access_expires_at }, this.now()) || access <= this.now()) return null;
    return hit.token;
  }

  /** The access token for calls, refreshed first when due. */
  async accessToken(name: string): Promise<string> {
    const hit = this.cached(name, await this.options.repo.head(name));
    if (hit !== null) {
      this.tokenReads.cached++;
      return hit;
    }
    this.#tokens.delete(name);
    let row = await this.profileRow(name);
    if (row.access_token === null || this.due(row, this.now())) {
      try {
        row = await this.ensureFresh(name);
      } catch (e) {
        // A token that still works is better than none while ANAF's OAuth host is down.
        const access = num(row.access_expires_at);
        if (!(isEfactError(e) && e.kind === 'retryable') || row.access_token === null || access === null || access <= this.now()) throw e;
      }
    }
    const access = num(row.access_expires_at);
    if (access !== null && access <= this.now()) {
      throw new EfactError('PLATFORM_AUTH', `OAuth profile ${name}: the access token expired on ${new Date(access).toISOString().slice(0, 10)}`);
    }
    const token = this.options.vault.open(accessTokenName(name), row.access_token!);
    this.tokenReads.decrypted++;
    this.#tokens.set(name, { version: row.token_version, keyId: row.key_id, token });
    return token;
  }

  /** Revokes the tokens at ANAF (refresh first, then access) and forgets them. */
  async revoke(name: string): Promise<{ revokedAtAnaf: boolean; message: string | null }> {
    const row = await this.profileRow(name);
    let revokedAtAnaf = false;
    let message: string | null = null;
    if (row.refresh_token !== null || row.access_token !== null) {
      try {
        const client = await this.credentials(row);
        if (row.refresh_token !== null) await this.options.endpoint.revoke(client, this.options.vault.open(refreshTokenName(name), row.refresh_token));
        if (row.access_token !== null) await this.options.endpoint.revoke(client, this.options.vault.open(accessTokenName(name), row.access_token));
        revokedAtAnaf = true;
      } catch (e) {
        message = e instanceof Error ? e.message : String(e);
      }
    }
    this.#tokens.delete(name);
    await this.options.repo.clearTokens(name, this.now(), 'revoked');
    return { revokedAtAnaf, message };
  }

  async status(name: string): Promise<OAuthProfileStatus> {
    return this.statusOf(await this.profileRow(name));
  }

  async statusAll(): Promise<OAuthProfileStatus[]> {
    const rows = await this.options.repo.list();
    return Promise.all(rows.map((r) => this.statusOf(r)));
  }

  private async statusOf(row: ProfileRow): Promise<OAuthProfileStatus> {
    const at = this.now();
    const access = num(row.access_expires_at);
    const refresh = num(row.refresh_expires_at);
    const daysLeft = (t: number | null): number | null => (t === null ? null : Math.floor((t - at) / DAY_MS));
    const hasTokens = row.refresh_token !== null;
    const warnMs = this.settings.warnDaysBefore * DAY_MS;
    let state: OAuthProfileStatus['state'] = 'ok';
    let message: string | null = null;
    if (!hasTokens) {
      state = 'login-needed';
      message = `no tokens${row.last_error ? ` (${row.last_error})` : ''}: log in with the certificate: efact auth login --profile ${row.name}`;
    } else if (refresh !== null && refresh <= at) {
      state = 'expired';
      message = 'the refresh token has expired: log in again with the certificate';
    } else if (access !== null && access <= at) {
      state = 'expired';
      message = 'the access token has expired; Efact refreshes it at the next call';
    } else if ((access !== null && access - at <= warnMs) || (refresh !== null && refresh - at <= warnMs)) {
      state = 'warning';
      const which = refresh !== null && refresh - at <= warnMs ? 'refresh' : 'access';
      const until = which === 'refresh' ? refresh! : access!;
      message = `the ${which} token expires in ${daysLeft(until)} days (${new Date(until).toISOString().slice(0, 10)})${row.last_error ? `; last refresh failed: ${row.last_error}` : ''}`;
    }
    const hasSecret = (await this.options.vault.get(clientSecretName(row.name)).catch(() => null)) !== null;
    return {
      name: row.name,
      clientId: mask(row.client_id) ?? '',
      redirectUri: row.redirect_uri,
      hasClientSecret: hasSecret,
      hasTokens,
      accessExpiresAt: access === null ? null : new Date(access),
      accessDaysLeft: daysLeft(access),
      refreshExpiresAt: refresh === null ? null : new Date(refresh),
      refreshDaysLeft: daysLeft(refresh),
      obtainedAt: num(row.obtained_at) === null ? null : new Date(num(row.obtained_at)!),
      refreshedAt: num(row.refreshed_at) === null ? null : new Date(num(row.refreshed_at)!),
      state,
      message,
      lastError: row.last_error,
      companies: (await this.options.companiesOf?.(row.name)) ?? [],
    };
  }
}
