/** What every CLI command shares: configuration from --config/--data, errors printed plainly. */
import { loadConfig } from '../config/load.js';
import type { DeepPartial, EfactConfig } from '../config/types.js';
import { isEfactError } from '../domain/errors.js';
import { openConfiguredStore } from '../server/configured-store.js';
import type { SqlStore } from '../adapters/store/sql-store.js';
export { openConfiguredStore };

export interface CommonOptions {
  config?: string;
  data?: string;
}

export function configFrom(opts: CommonOptions, overrides: DeepPartial<EfactConfig> = {}): EfactConfig {
  return loadConfig({
    ...(opts.config !== undefined ? { file: opts.config } : {}),
    overrides: { ...overrides, ...(opts.data !== undefined ? { dataDir: opts.data } : {}) },
  });
}

/** Runs a command body; an EfactError becomes a one-line message and exit code 1 (or `code`). */
export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    if (typeof code === 'number') process.exitCode = code;
  } catch (e) {
    if (isEfactError(e)) {
      process.stderr.write(`efact: ${e.message}${e.platformMessage ? ` (ANAF: ${e.platformMessage})` : ''}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`efact: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 70;
    }
  }
}

/** Opens the configured store, runs `body` with it and closes it, whatever happens. */
export async function withStore<T>(config: EfactConfig, body: (store: SqlStore) => Promise<T>): Promise<T> {
  const store = await openConfiguredStore(config);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}
