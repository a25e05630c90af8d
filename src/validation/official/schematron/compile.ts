/**
 * Schematron (ISO/IEC 19757-3, XSLT 2.0 query binding) to an XSLT 2.0 stylesheet producing SVRL:
 * load with includes → expand abstract patterns/rules and choose the phase → emit XSLT.
 * Written for Efact from the standard; covers what ANAF's CIUS-RO bundles use and refuses, by
 * name, constructs it does not carry.
 */
import { createHash } from 'node:crypto';
import { emitXslt } from './emit-xslt.js';
import { expandSchema, type ExpandOptions } from './expand.js';
import { loadSchema, type BundleReader, type LoadedSchema } from './load.js';

/** Part of every cache key: bump when the emitted XSLT changes for the same input. */
export const SCHEMATRON_COMPILER_VERSION = 'efact-sch-1';

export interface CompiledSchematron {
  /** The stylesheet; undefined when `isCached` said the caller already has it. */
  xslt?: string;
  /** SHA-256 over the compiler version, the phase and every file read (path and text): the cache key. */
  sourceHash: string;
  files: string[];
}

function sourceHash(loaded: LoadedSchema, options: ExpandOptions): string {
  const h = createHash('sha256').update(`${SCHEMATRON_COMPILER_VERSION}\0${options.phase ?? '#DEFAULT'}\0`);
  for (const f of loaded.files) h.update(`${f.path}\0${f.text}\0`);
  return h.digest('hex');
}

/**
 * Compiles `mainPath`. With `isCached`, asks it first whether the caller holds the XSLT for this
 * source hash (the files are read and hashed either way; expansion and emission are skipped then).
 */
export function compileSchematron(
  read: BundleReader,
  mainPath: string,
  options: ExpandOptions = {},
  isCached?: (sourceHash: string) => boolean,
): CompiledSchematron {
  const loaded = loadSchema(read, mainPath);
  const hash = sourceHash(loaded, options);
  const files = loaded.files.map((f) => f.path);
  if (isCached?.(hash) === true) return { sourceHash: hash, files };
  return { xslt: emitXslt(expandSchema(loaded, options)), sourceHash: hash, files };
}

/** A reader over an in-memory map of bundle-relative paths (zip entries, tests). */
export function mapReader(files: ReadonlyMap<string, string>): BundleReader {
  return (p) => files.get(p);
}
