/** What every CLI command shares: configuration from --config/--data, errors printed plainly. */
import type { Command } from 'commander';
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

/** `-c/--config` and `-d/--data`, the options of every command that works on the configured store. */
export function storeOptions(cmd: Command): Command {
  return cmd.option('-c, --config <file>', 'configuration file').option('-d, --data <dir>', 'data folder');
}

/** What a store command works with: the loaded configuration and the open store. */
export interface CommandStore {
  config: EfactConfig;
  store: SqlStore;
}

/**
 * The action of a command that works on the configured store: configuration from the command's
 * options, the store open while `body` runs, errors and exit code as in runCommand. `body` gets
 * the options, then the command's arguments.
 */
export function storeAction<O extends CommonOptions, A extends unknown[] = []>(
  body: (ctx: CommandStore, opts: O, ...args: A) => Promise<number | void>,
): (...params: unknown[]) => Promise<void> {
  return (...params) => {
    // Commander calls an action with the command's arguments, then its options, then the command.
    const args = params.slice(0, -2) as A;
    const opts = params[params.length - 2] as O;
    return runCommand(async () => {
      const config = configFrom(opts);
      return withStore(config, (store) => body({ config, store }, opts, ...args));
    });
  };
}
