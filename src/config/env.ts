/**
 * Environment variables that override the file. Each becomes a layer of its own, so that a
 * bad value is reported with the variable's name (`http.port (set by EFACT_PORT)`).
 */
import type { Layer } from './layers.js';

/** Names the configuration file; read by the loader, not a configuration key. */
export const CONFIG_FILE_VARIABLE = 'EFACT_CONFIG';

interface EnvKey {
  variable: string;
  path: readonly string[];
  kind: 'text' | 'int' | 'lowercase';
}

export const ENV_KEYS: readonly EnvKey[] = [
  { variable: 'EFACT_DATA_DIR', path: ['dataDir'], kind: 'text' },
  { variable: 'EFACT_PORT', path: ['http', 'port'], kind: 'int' },
  { variable: 'EFACT_STORE_URL', path: ['store', 'url'], kind: 'text' },
  { variable: 'EFACT_ANAF_TOKEN', path: ['anaf', 'token'], kind: 'text' },
  { variable: 'EFACT_SERVER_ID', path: ['serverId'], kind: 'int' },
  { variable: 'EFACT_SERVER_FILTER', path: ['serverFilter'], kind: 'text' },
  { variable: 'EFACT_LOG_LEVEL', path: ['logLevel'], kind: 'lowercase' },
];

function convert(raw: string, kind: EnvKey['kind']): unknown {
  const text = raw.trim();
  // a value that is not a whole number stays text, so validation reports it as given
  if (kind === 'int') return /^[+-]?\d+$/.test(text) ? Number(text) : raw;
  return kind === 'lowercase' ? text.toLowerCase() : text;
}

function nest(path: readonly string[], value: unknown): Record<string, unknown> {
  let out: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) out = { [path[i]!]: out };
  return out as Record<string, unknown>;
}

/** One layer per variable that is set; an empty variable counts as unset. */
export function envLayers(env: NodeJS.ProcessEnv): Layer[] {
  const layers: Layer[] = [];
  for (const key of ENV_KEYS) {
    const raw = env[key.variable];
    if (raw === undefined || raw.trim() === '') continue;
    layers.push({ source: { kind: 'env', variable: key.variable }, values: nest(key.path, convert(raw, key.kind)) });
  }
  return layers;
}
