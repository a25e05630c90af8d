/**
 * What a user points `validation.officialBundle` at: an .xslt file (compiled Schematron), a .sch
 * file, a folder, or ANAF's zip. ANAF publishes the rules as Schematron sources (.sch); those are
 * compiled here to XSLT 2.0 by Efact's own Schematron compiler (schematron/), and the result is
 * kept under cacheDir/bundles/ keyed by the bundle's content hash, so a new ANAF release is used
 * by pointing at its zip. saxon.ts then compiles that XSLT to SEF once (cached by XSLT hash).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EfactError } from '../../domain/errors.js';
import { readZip } from '../../zip/zip.js';
import { sha256 } from './saxon.js';
import { compileSchematron } from './schematron/compile.js';
import type { BundleReader } from './schematron/load.js';

const PREFERRED = /EN16931-CIUS_RO.*\.xslt?$/i;
const PREFERRED_SCH = /EN16931-CIUS_RO.*\.sch$/i;
/** ANAF's zip holds 16 entries, ~1 MB unpacked; leave room for growth, not for bombs. */
const BUNDLE_ZIP_LIMITS = { maxEntries: 500, maxEntryBytes: 20 * 1024 * 1024, maxTotalBytes: 100 * 1024 * 1024 };

export interface BundleOptions {
  /** Schematron phase to compile ('#ALL', a phase id); default the schema's defaultPhase, else all. */
  phase?: string;
}

function isSvrlStylesheet(text: string): boolean {
  return /<xsl:(stylesheet|transform)\b/.test(text) && text.includes('http://purl.oclc.org/dsdl/svrl');
}

/** The compiled XSLT to use among `files`, or undefined when there is none. */
function pickXslt(files: Map<string, string>, where: string): string | undefined {
  const xslts = [...files.keys()].filter((n) => /\.xslt?$/i.test(n) && isSvrlStylesheet(files.get(n)!));
  const chosen = xslts.find((n) => PREFERRED.test(path.basename(n))) ?? (xslts.length === 1 ? xslts[0] : undefined);
  if (chosen) return chosen;
  if (xslts.length > 1) {
    throw new EfactError('INVALID_CONFIG', `${where} holds several Schematron XSLTs (${xslts.join(', ')}); point validation.officialBundle at one of them`);
  }
  return undefined;
}

/** The root element's local name, from the text (comments, PIs and the prolog skipped). */
function rootName(text: string): string | undefined {
  const body = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
  return /<(?:[\w.-]+:)?([\w.-]+)[\s/>]/.exec(body)?.[1];
}

/** The main Schematron among `files`: ANAF's combined EN+RO schema, else the only top-most sch:schema. */
function pickSchema(files: Map<string, string>, where: string): string {
  const depth = (n: string): number => n.split('/').length;
  const schemas = [...files.keys()]
    .filter((n) => n.toLowerCase().endsWith('.sch') && rootName(files.get(n)!) === 'schema')
    .sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  const preferred = schemas.find((n) => PREFERRED_SCH.test(path.posix.basename(n)));
  if (preferred) return preferred;
  const top = schemas.filter((n) => depth(n) === depth(schemas[0] ?? ''));
  if (top.length === 1) return top[0]!;
  if (top.length > 1) {
    throw new EfactError('INVALID_CONFIG', `${where} holds several Schematron schemas (${top.join(', ')}); point validation.officialBundle at the .sch to use`);
  }
  throw new EfactError('INVALID_CONFIG', `${where} holds no Schematron XSLT and no Schematron schema (.sch with a <schema> root)`);
}

function listFolder(dir: string, root = dir, out = new Map<string, string>(), depth = 0): Map<string, string> {
  if (depth > 4) return out;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) listFolder(p, root, out, depth + 1);
    else if (/\.(xslt?|sch)$/i.test(name) && st.size < 20 * 1024 * 1024) out.set(path.relative(root, p).split(path.sep).join('/'), readFileSync(p, 'utf8'));
  }
  return out;
}

/** Reads relative to the main schema's folder, so a zip (with its top folder) and the unpacked folder give the same key. */
function rebasedReader(files: Map<string, string>, main: string): BundleReader {
  const base = path.posix.dirname(main);
  return (p) => files.get(base === '.' ? p : path.posix.join(base, p));
}

/** Compiles the schema (unless cached by content hash) and returns the XSLT's path under cacheDir/bundles/. */
function compiledSchematron(read: BundleReader, main: string, where: string, cacheDir: string, options: BundleOptions): string {
  const dir = path.join(cacheDir, 'bundles');
  const fileFor = (hash: string): string => path.join(dir, `sch-${hash}.xslt`);
  let compiled;
  try {
    compiled = compileSchematron(read, main, options, (hash) => existsSync(fileFor(hash)));
  } catch (e) {
    if (e instanceof EfactError) throw new EfactError(e.code, `official bundle ${where}: ${e.message}`, { cause: e });
    throw e;
  }
  const out = fileFor(compiled.sourceHash);
  if (compiled.xslt !== undefined) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, compiled.xslt);
    renameSync(tmp, out);
  }
  return out;
}

function fromFiles(files: Map<string, string>, where: string, cacheDir: string, options: BundleOptions): string | { xsltName: string } {
  const xslt = pickXslt(files, where);
  if (xslt !== undefined) return { xsltName: xslt };
  const main = pickSchema(files, where);
  return compiledSchematron(rebasedReader(files, main), path.posix.basename(main), where, cacheDir, options);
}

/**
 * The path of the XSLT to run for `bundlePath`: an .xslt as it is (or extracted from a zip under
 * cacheDir/bundles/), or the XSLT compiled from the bundle's Schematron.
 */
export function resolveOfficialBundle(bundlePath: string, cacheDir: string, options: BundleOptions = {}): string {
  if (!existsSync(bundlePath)) throw new EfactError('INVALID_CONFIG', `official bundle ${bundlePath} does not exist`);
  const st = statSync(bundlePath);
  if (st.isDirectory()) {
    const r = fromFiles(listFolder(bundlePath), bundlePath, cacheDir, options);
    return typeof r === 'string' ? r : path.join(bundlePath, r.xsltName);
  }
  if (/\.xslt?$/i.test(bundlePath)) return bundlePath;
  if (/\.sch$/i.test(bundlePath)) {
    const dir = path.dirname(path.resolve(bundlePath));
    const read: BundleReader = (p) => {
      const full = path.resolve(dir, p);
      // The loader refuses hrefs leaving the folder; this keeps the file system read inside it too.
      if (!full.startsWith(dir + path.sep) || !existsSync(full)) return undefined;
      return readFileSync(full, 'utf8');
    };
    return compiledSchematron(read, path.basename(bundlePath), bundlePath, cacheDir, options);
  }
  if (/\.zip$/i.test(bundlePath)) {
    const entries = readZip(readFileSync(bundlePath), BUNDLE_ZIP_LIMITS);
    const files = new Map<string, string>();
    for (const [name, data] of entries) if (/\.(xslt?|sch)$/i.test(name)) files.set(name, new TextDecoder().decode(data));
    const r = fromFiles(files, bundlePath, cacheDir, options);
    if (typeof r === 'string') return r;
    const text = files.get(r.xsltName)!;
    const dir = path.join(cacheDir, 'bundles');
    mkdirSync(dir, { recursive: true });
    const out = path.join(dir, `${sha256(text)}.xslt`);
    if (!existsSync(out)) writeFileSync(out, text);
    return out;
  }
  throw new EfactError('INVALID_CONFIG', `official bundle ${bundlePath}: expected an .xslt or .sch file, a folder or a .zip`);
}
