/**
 * Finding the compiled Schematron in what a user points `validation.officialBundle` at: an .xslt
 * file, a folder, or ANAF's zip. ANAF publishes the rules as Schematron (.sch) sources; saxon-js
 * runs XSLT, so a bundle holding only .sch needs a Schematron→XSLT step first (the ISO skeleton's
 * include/expand/compile stylesheets) — reported as a clear error until Efact carries that step.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EfactError } from '../../domain/errors.js';
import { readZip } from '../../zip/zip.js';
import { sha256 } from './saxon.js';

const PREFERRED = /EN16931-CIUS_RO.*\.xslt?$/i;

function isSvrlStylesheet(text: string): boolean {
  return /<xsl:(stylesheet|transform)\b/.test(text) && text.includes('http://purl.oclc.org/dsdl/svrl');
}

function pick(files: Map<string, string>, where: string): string {
  const xslts = [...files.keys()].filter((n) => /\.xslt?$/i.test(n) && isSvrlStylesheet(files.get(n)!));
  const chosen = xslts.find((n) => PREFERRED.test(path.basename(n))) ?? (xslts.length === 1 ? xslts[0] : undefined);
  if (chosen) return chosen;
  if (xslts.length > 1) {
    throw new EfactError('INVALID_CONFIG', `${where} holds several Schematron XSLTs (${xslts.join(', ')}); point validation.officialBundle at one of them`);
  }
  const sch = [...files.keys()].filter((n) => n.toLowerCase().endsWith('.sch'));
  if (sch.length > 0) {
    throw new EfactError(
      'INVALID_CONFIG',
      `${where} holds Schematron sources only (${sch.length} .sch files) and no compiled XSLT; compile the main .sch to XSLT 2.0 (ISO Schematron skeleton) and point validation.officialBundle at that .xslt`,
    );
  }
  throw new EfactError('INVALID_CONFIG', `${where} holds no Schematron XSLT`);
}

function listFolder(dir: string, out = new Map<string, string>(), depth = 0): Map<string, string> {
  if (depth > 4) return out;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) listFolder(p, out, depth + 1);
    else if (/\.(xslt?|sch)$/i.test(name) && st.size < 20 * 1024 * 1024) out.set(p, readFileSync(p, 'utf8'));
  }
  return out;
}

/** The path of the XSLT to run for `bundlePath` (a zip's XSLT is extracted under cacheDir/bundles/). */
export function resolveOfficialBundle(bundlePath: string, cacheDir: string): string {
  if (!existsSync(bundlePath)) throw new EfactError('INVALID_CONFIG', `official bundle ${bundlePath} does not exist`);
  const st = statSync(bundlePath);
  if (st.isDirectory()) return pick(listFolder(bundlePath), bundlePath);
  if (/\.xslt?$/i.test(bundlePath)) return bundlePath;
  if (/\.zip$/i.test(bundlePath)) {
    const entries = readZip(readFileSync(bundlePath));
    const files = new Map<string, string>();
    for (const [name, data] of entries) if (/\.(xslt?|sch)$/i.test(name)) files.set(name, new TextDecoder().decode(data));
    const chosen = pick(files, bundlePath);
    const text = files.get(chosen)!;
    const dir = path.join(cacheDir, 'bundles');
    mkdirSync(dir, { recursive: true });
    const out = path.join(dir, `${sha256(text)}.xslt`);
    if (!existsSync(out)) writeFileSync(out, text);
    return out;
  }
  throw new EfactError('INVALID_CONFIG', `official bundle ${bundlePath}: expected an .xslt file, a folder or a .zip`);
}
