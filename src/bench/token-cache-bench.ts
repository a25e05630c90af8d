/**
 * The access token of a platform call: read from memory after a narrow version check (the
 * cache), against reading the whole profile row and decrypting its envelope every time (what
 * every call did before). SQLite file in a temp folder, synchronous=NORMAL; the figure is the
 * time per `accessToken()` call, measured over `calls` calls after a warm-up.
 *
 * Part of `npm run bench` (section `tokens`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../adapters/store/sqlite.js';
import { AnafOAuthEndpoint } from '../adapters/anaf/oauth/endpoint.js';
import { OAuthProfileRepository } from '../adapters/anaf/oauth/profiles.js';
import { OAuthService } from '../adapters/anaf/oauth/service.js';
import { SqlVault } from '../secrets/sql-vault.js';
import { accessTokenName, refreshTokenName } from '../secrets/names.js';

export interface TokenCacheFigures {
  calls: number;
  /** The cache hit: version check, then memory. */
  cachedMicros: number;
  /** A cache miss: version check, whole row, decrypt. */
  uncachedMicros: number;
  /** What every call did before the cache: whole row, decrypt. */
  rowAndDecryptMicros: number;
}

export async function runTokenCacheBench(calls = 20_000): Promise<TokenCacheFigures> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'efact-token-bench-'));
  const store = await openSqliteStore({ path: path.join(dir, 'efact.db'), synchronous: 'NORMAL' });
  try {
    await store.migrate();
    const vault = await SqlVault.open({ db: store.db, dataDir: dir, env: {} });
    const repo = new OAuthProfileRepository(store.db);
    const now = Date.now();
    await repo.upsert('main', 'client', 'http://127.0.0.1:9/cb', now);
    // A token the size of ANAF's JWTs (about 1 KB).
    const access = await vault.seal(accessTokenName('main'), `eyJ${'a'.repeat(1000)}`);
    const refresh = await vault.seal(refreshTokenName('main'), `eyJ${'r'.repeat(1000)}`);
    await repo.writeTokens('main', null, {
      accessEnvelope: access.envelope,
      refreshEnvelope: refresh.envelope,
      keyId: access.keyId,
      accessExpiresAt: now + 90 * 86400_000,
      refreshExpiresAt: now + 365 * 86400_000,
      kind: 'login',
      at: now,
    });
    const service = new OAuthService({ repo, vault, endpoint: new AnafOAuthEndpoint({ baseUrl: 'http://127.0.0.1:9' }), clock: { now: () => new Date() }, owner: 'bench' });
    const time = async (forget: boolean): Promise<number> => {
      for (let i = 0; i < 500; i++) await service.accessToken('main');
      const start = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) {
        if (forget) service.forgetTokens();
        await service.accessToken('main');
      }
      return Number(process.hrtime.bigint() - start) / 1000 / calls;
    };
    const uncachedMicros = await time(true);
    const cachedMicros = await time(false);
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) {
      const row = await repo.get('main');
      vault.open(accessTokenName('main'), row!.access_token!);
    }
    const rowAndDecryptMicros = Number(process.hrtime.bigint() - start) / 1000 / calls;
    return { calls, cachedMicros, uncachedMicros, rowAndDecryptMicros };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
