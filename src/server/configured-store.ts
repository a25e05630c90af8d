import { EfactError } from '../domain/errors.js';
import type { EfactConfig } from '../config/types.js';
import type { Clock } from '../ports/clock.js';
import type { EngineLogger } from '../engine/context.js';
import { openStore } from '../adapters/store/open.js';
import { isPostgresUrl } from '../adapters/store/postgres.js';
import type { SqlStore } from '../adapters/store/sql-store.js';
import { syncConfiguredCompanies } from './configured-companies.js';
import type { CompanyConfig } from '../config/types.js';

/** The SQLite file a configuration names (`store.url` is resolved to `sqlite:/abs/path` by the loader). */
export function sqliteFileOf(config: EfactConfig): string {
  const url = config.store.url;
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length);
  throw new EfactError('INVALID_CONFIG', `store.url: ${url} is not a SQLite file; use sqlite:PATH or leave it empty`);
}

/** Opens and migrates the configured store and makes the configured companies known to it. */
export async function openConfiguredStore(
  config: EfactConfig,
  options: { clock?: Clock; log?: EngineLogger; companies?: readonly CompanyConfig[] } = {},
): Promise<SqlStore> {
  const clock = options.clock ? { clock: options.clock } : {};
  const store = isPostgresUrl(config.store.url)
    ? await openStore({
        url: config.store.url,
        poolSize: config.store.poolSize,
        migrationLockTimeoutMs: config.store.migrationLockTimeoutSeconds * 1000,
        ...(config.store.schema === undefined ? {} : { schema: config.store.schema }),
        ...clock,
      })
    : await openStore({ path: sqliteFileOf(config), synchronous: config.store.synchronous, ...clock });
  try {
    await store.migrate();
    await syncConfiguredCompanies(store, options.companies ?? config.companies, options.log);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
