/** The chaos harness's command line: `npm run chaos -- --instances K --invoices N --kills M --store sqlite|postgres`. */
import { EfactError } from '../domain/errors.js';

export interface ChaosOptions {
  instances: number;
  invoices: number;
  kills: number;
  store: 'sqlite' | 'postgres';
  seed: number;
  maxSeconds: number;
  /** PostgreSQL server (a fresh schema is made in it): --pg-url, else EFACT_CHAOS_PG_URL or EFACT_TEST_PG_URL. */
  pgUrl?: string;
  /** Calls per minute the sandbox accepts (and the instances are configured with, at 90 %). */
  perMinute: number;
  /** Extra arguments for `efact serve` when an instance is restarted after a kill (e.g. a takeover flag). */
  restartArgs: string[];
  /** Keep the temporary folder and schema for inspection. */
  keep: boolean;
  /**
   * After the run, act as the person who checked SPV: send again the uploads ANAF never
   * confirmed (needs-attention), and wait until they are final too. Off with --no-resend.
   */
  resend: boolean;
}

export const USAGE =
  'usage: npm run chaos -- --instances K --invoices N --kills M --store sqlite|postgres [--seed S] [--max-seconds T] ' +
  '[--per-minute P] [--pg-url URL] [--restart-args "ARGS"] [--keep] [--no-resend]';

function int(name: string, text: string | undefined, min: number, max: number): number {
  const n = Number(text);
  if (text === undefined || !Number.isInteger(n) || n < min || n > max) {
    throw new EfactError('INVALID_REQUEST', `--${name}: ${text ?? '(missing)'} is not a whole number from ${min} to ${max}\n${USAGE}`);
  }
  return n;
}

export function parseChaosArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ChaosOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new EfactError('INVALID_REQUEST', `unexpected argument ${a}\n${USAGE}`);
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (name === 'keep' || name === 'help' || name === 'no-resend') {
      flags.add(name);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new EfactError('INVALID_REQUEST', `--${name} needs a value\n${USAGE}`);
    values.set(name, value);
  }
  if (flags.has('help')) throw new EfactError('INVALID_REQUEST', USAGE);
  const known = ['instances', 'invoices', 'kills', 'store', 'seed', 'max-seconds', 'per-minute', 'pg-url', 'restart-args'];
  for (const k of values.keys()) if (!known.includes(k)) throw new EfactError('INVALID_REQUEST', `unknown option --${k}\n${USAGE}`);
  const store = values.get('store');
  if (store !== 'sqlite' && store !== 'postgres') throw new EfactError('INVALID_REQUEST', `--store: ${store ?? '(missing)'} must be sqlite or postgres\n${USAGE}`);
  const instances = int('instances', values.get('instances'), 1, 16);
  if (store === 'sqlite' && instances !== 1) {
    throw new EfactError('INVALID_REQUEST', '--store sqlite runs exactly one instance (--instances 1): several instances need PostgreSQL');
  }
  const pgUrl = values.get('pg-url') ?? env.EFACT_CHAOS_PG_URL ?? env.EFACT_TEST_PG_URL;
  if (store === 'postgres' && !pgUrl) {
    throw new EfactError('INVALID_REQUEST', '--store postgres needs a server: --pg-url postgres://… or EFACT_CHAOS_PG_URL / EFACT_TEST_PG_URL');
  }
  return {
    instances,
    invoices: int('invoices', values.get('invoices'), 1, 1_000_000),
    kills: int('kills', values.get('kills') ?? '0', 0, 100_000),
    store,
    seed: int('seed', values.get('seed') ?? '1', 0, 2 ** 31 - 1),
    maxSeconds: int('max-seconds', values.get('max-seconds') ?? '900', 5, 86_400),
    perMinute: int('per-minute', values.get('per-minute') ?? '20000', 10, 10_000_000),
    ...(pgUrl ? { pgUrl } : {}),
    restartArgs: (values.get('restart-args') ?? '').split(/\s+/).filter((s) => s.length > 0),
    keep: flags.has('keep'),
    resend: !flags.has('no-resend'),
  };
}
