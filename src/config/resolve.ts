/**
 * From checked values to the configuration the rest of Efact reads: relative paths made
 * absolute, CIFs reduced to digits, the store's default file placed in dataDir, and the two
 * defaults that depend on other keys applied.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { normalizeCif } from '../domain/cif.js';
import { DEFAULT_DB_FILE } from './defaults.js';
import type { PathSegment } from './describe.js';
import { sourceOf, type Merged } from './layers.js';
import type { ParsedConfig } from './schema.js';
import type { CompanyConfig, EfactConfig } from './types.js';

export interface ResolveContext {
  /** The configuration file's absolute path, when there is one. */
  file?: string;
  cwd: string;
}

/**
 * Paths written in the file are relative to the file's folder (so a config can travel with
 * its data); paths from the environment or the command line are relative to the working
 * directory, as a shell user expects; defaults follow the file when there is one.
 */
function baseFor(merged: Merged, path: readonly PathSegment[], ctx: ResolveContext): string {
  const source = sourceOf(merged, path);
  if (source?.kind === 'file') return dirname(source.file);
  if (source === undefined && ctx.file !== undefined) return dirname(ctx.file);
  return ctx.cwd;
}

function storeUrl(url: string, dataDir: string, base: string): string {
  if (url === '') return `sqlite:${join(dataDir, DEFAULT_DB_FILE)}`;
  if (!url.startsWith('sqlite:')) return url;
  const file = url.slice('sqlite:'.length);
  return file === ':memory:' || isAbsolute(file) ? url : `sqlite:${resolve(base, file)}`;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function resolveConfig(parsed: ParsedConfig, merged: Merged, ctx: ResolveContext): EfactConfig {
  const dataDir = resolve(baseFor(merged, ['dataDir'], ctx), parsed.dataDir);
  const companies: CompanyConfig[] = parsed.companies.map((company, index) => {
    const { exportFolder, ...rest } = company;
    const resolved: CompanyConfig = { ...rest, cif: normalizeCif(company.cif) ?? company.cif };
    if (exportFolder !== undefined) {
      resolved.exportFolder = resolve(baseFor(merged, ['companies', index, 'exportFolder'], ctx), exportFolder);
    }
    return resolved;
  });
  return {
    ...parsed,
    dataDir,
    store: { ...parsed.store, url: storeUrl(parsed.store.url, dataDir, baseFor(merged, ['store', 'url'], ctx)) },
    anaf: {
      ...parsed.anaf,
      apiBaseUrl: trimSlash(parsed.anaf.apiBaseUrl),
      publicBaseUrl: trimSlash(parsed.anaf.publicBaseUrl),
    },
    sandbox: {
      enabled: parsed.sandbox.enabled ?? parsed.anaf.token === undefined,
      port: parsed.sandbox.port,
      processingDelaySeconds: parsed.sandbox.processingDelaySeconds,
      ...(parsed.sandbox.url !== undefined ? { url: parsed.sandbox.url.replace(/\/+$/, '') } : {}),
    },
    oauth: {
      ...parsed.oauth,
      baseUrl: trimSlash(parsed.oauth.baseUrl),
      ...(parsed.oauth.caFile !== undefined ? { caFile: resolve(baseFor(merged, ['oauth', 'caFile'], ctx), parsed.oauth.caFile) } : {}),
    },
    validation: parsed.validation.officialBundle !== undefined
      ? { officialBundle: resolve(baseFor(merged, ['validation', 'officialBundle'], ctx), parsed.validation.officialBundle) }
      : {},
    companies,
    demo: parsed.demo ?? (ctx.file === undefined && companies.length === 0),
    logLevel: parsed.logLevel,
  };
}
