/**
 * loadConfig: one YAML or JSON file (optional), then EFACT_* environment variables, then the
 * caller's overrides (the CLI's flags). With nothing at all, a working embedded set-up.
 */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { CONFIG_FILE_VARIABLE, envLayers } from './env.js';
import { isPlainObject, type Layer } from './layers.js';
import { buildConfig, invalidConfig } from './parse.js';
import type { DeepPartial, EfactConfig } from './types.js';

export interface LoadConfigOptions {
  /** A .yml, .yaml or .json file; when absent, EFACT_CONFIG names one, else there is none. */
  file?: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Applied last, e.g. from command-line flags; undefined values are ignored. */
  overrides?: DeepPartial<EfactConfig>;
  /** Defaults to process.cwd(); relative paths given outside the file resolve against it. */
  cwd?: string;
}

const EXTENSIONS = ['.yml', '.yaml', '.json'];

function parseText(text: string, file: string): unknown {
  if (extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw invalidConfig([`not valid JSON: ${(e as Error).message}`], file);
    }
  }
  const doc = parseDocument(text); // YAML 1.2: duplicate keys are errors, "yes" stays text
  if (doc.errors.length > 0) {
    throw invalidConfig(
      doc.errors.map((e) => `not valid YAML: ${e.message}`),
      file,
    );
  }
  return doc.toJS() ?? {}; // an empty file means "all defaults"
}

/** Reads and parses the file; `via` names the variable that pointed at it, for messages. */
export function readConfigFile(file: string, via?: string): Record<string, unknown> {
  const given = via === undefined ? file : `${file} (from ${via})`;
  if (!EXTENSIONS.includes(extname(file).toLowerCase())) {
    throw invalidConfig([`${given}: the configuration file must end in .yml, .yaml or .json`]);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw invalidConfig([`${given}: cannot read the configuration file: ${why}`]);
  }
  // editors on Windows (where the manuals' servers ran) like to start files with a BOM
  const values = parseText(text.replace(/^\uFEFF/, ''), file);
  if (!isPlainObject(values)) throw invalidConfig(['(top level): must be a mapping of keys to values'], file);
  return values;
}

export function loadConfig(options: LoadConfigOptions = {}): EfactConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const fromEnv = env[CONFIG_FILE_VARIABLE]?.trim() || undefined;
  const given = options.file ?? fromEnv;
  const file = given === undefined ? undefined : resolve(cwd, given);

  const layers: Layer[] = [];
  if (file !== undefined) {
    const via = options.file === undefined ? CONFIG_FILE_VARIABLE : undefined;
    layers.push({ source: { kind: 'file', file }, values: readConfigFile(file, via) });
  }
  layers.push(...envLayers(env));
  if (options.overrides !== undefined) {
    layers.push({ source: { kind: 'override' }, values: options.overrides as Record<string, unknown> });
  }
  return buildConfig(layers, { cwd, ...(file === undefined ? {} : { file }) });
}
