/**
 * Layers in, one resolved configuration out, or one INVALID_CONFIG error that lists every
 * problem at once (a person fixing a file should not have to run Efact once per mistake).
 */
import { resolve } from 'node:path';
import { EfactError } from '../domain/errors.js';
import { crossChecks } from './checks.js';
import { formatIssue } from './issues.js';
import { isPlainObject, mergeLayers, type Layer } from './layers.js';
import { resolveConfig } from './resolve.js';
import { configSchema } from './schema.js';
import type { EfactConfig } from './types.js';

export interface BuildContext {
  /** Absolute path of the configuration file, when there is one. */
  file?: string;
  cwd: string;
}

export function invalidConfig(problems: readonly string[], file?: string): EfactError {
  const where = file === undefined ? '' : ` in ${file}`;
  const list = problems.map((p) => `  - ${p}`).join('\n');
  return new EfactError('INVALID_CONFIG', `Invalid configuration${where}:\n${list}`, {
    details: { problems: [...problems], ...(file === undefined ? {} : { file }) },
  });
}

export function buildConfig(layers: readonly Layer[], ctx: BuildContext): EfactConfig {
  const merged = mergeLayers(layers);
  const result = configSchema.safeParse(merged.values);
  const problems = result.success ? [] : result.error.issues.flatMap((i) => formatIssue(configSchema, merged, i));
  for (const problem of crossChecks(merged)) if (!problems.includes(problem)) problems.push(problem);
  if (problems.length > 0 || !result.success) throw invalidConfig(problems, ctx.file);
  return resolveConfig(result.data, merged, ctx);
}

export interface ParseConfigOptions {
  /** Where the values come from (or will be written): relative paths resolve against its folder. */
  file?: string;
  cwd?: string;
}

/**
 * Checks values shaped like a configuration file, without reading files or the environment:
 * for an API that receives a configuration, or the INI import before it writes one.
 */
export function parseConfig(values: unknown, options: ParseConfigOptions = {}): EfactConfig {
  const cwd = options.cwd ?? process.cwd();
  const file = options.file === undefined ? undefined : resolve(cwd, options.file);
  if (!isPlainObject(values)) throw invalidConfig(['(top level): must be a mapping of keys to values'], file);
  const layer: Layer = { source: file === undefined ? { kind: 'override' } : { kind: 'file', file }, values };
  return buildConfig([layer], { cwd, ...(file === undefined ? {} : { file }) });
}
