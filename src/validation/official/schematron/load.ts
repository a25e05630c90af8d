/**
 * Reading a Schematron schema and its includes (ISO/IEC 19757-3 §5.4.4 include, and the 2016
 * edition's extends-by-href) into one element tree. Files come through a reader callback so a zip,
 * a folder or a test's in-memory map serve alike; every file goes through the safe XML parser
 * (no DTD, no entities). Hrefs are relative paths inside the bundle: no URLs, no escaping it.
 */
import path from 'node:path';
import { EfactError } from '../../../domain/errors.js';
import { parseXml, type XmlElement } from '../../../xml/parse.js';

export const SCH_NS = 'http://purl.oclc.org/dsdl/schematron';

/** Returns the text of a bundle file by its path relative to the bundle root, or undefined. */
export type BundleReader = (relPath: string) => string | undefined;

export interface LoadedSchema {
  root: XmlElement;
  /** Every file read, in reading order (main first): what the compiled result depends on. */
  files: Array<{ path: string; text: string }>;
  /** Where each element came from, for error messages. */
  fileOf: WeakMap<XmlElement, string>;
}

const MAX_INCLUDE_DEPTH = 16;

export function schError(where: string, message: string): EfactError {
  return new EfactError('INVALID_CONFIG', `Schematron ${where}: ${message}`);
}

export function isSch(el: XmlElement, name: string): boolean {
  return el.ns === SCH_NS && el.name === name;
}

function resolveHref(from: string, href: string, where: string): { file: string; fragment?: string } {
  const [target, fragment] = href.split('#', 2) as [string, string | undefined];
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('/')) {
    throw schError(where, `include href '${href}' must be a relative path inside the bundle`);
  }
  const file = target === '' ? from : path.posix.normalize(path.posix.join(path.posix.dirname(from), target));
  if (file.startsWith('../') || file === '..') throw schError(where, `include href '${href}' points outside the bundle`);
  return fragment === undefined || fragment === '' ? { file } : { file, fragment };
}

function findById(el: XmlElement, id: string): XmlElement | undefined {
  if (el.attrs['id'] === id) return el;
  for (const c of el.children) {
    const hit = findById(c, id);
    if (hit) return hit;
  }
  return undefined;
}

/** Loads `mainPath` and replaces every sch:include (by the target element) and sch:extends[@href] (by its children). */
export function loadSchema(read: BundleReader, mainPath: string): LoadedSchema {
  const files: LoadedSchema['files'] = [];
  const parsed = new Map<string, XmlElement>();
  const fileOf = new WeakMap<XmlElement, string>();

  const parseFile = (file: string, where: string): XmlElement => {
    const cached = parsed.get(file);
    if (cached) return cached;
    const text = read(file);
    if (text === undefined) throw schError(where, `cannot find '${file}' in the bundle`);
    let root: XmlElement;
    try {
      root = parseXml(text, { mixedContent: true, maxBytes: 20 * 1024 * 1024 });
    } catch (e) {
      throw schError(file, (e as Error).message);
    }
    files.push({ path: file, text });
    parsed.set(file, root);
    return root;
  };

  /** A deep copy with includes resolved; `chain` holds the files being included (cycle check). */
  const resolve = (el: XmlElement, file: string, chain: string[]): XmlElement => {
    const copy: XmlElement = { ...el, attrs: { ...el.attrs }, children: [], content: [] };
    fileOf.set(copy, file);
    for (const part of el.content ?? el.children) {
      if (typeof part === 'string') {
        copy.content!.push(part);
        continue;
      }
      const isInclude = isSch(part, 'include');
      const isExtendsHref = isSch(part, 'extends') && part.attrs['href'] !== undefined;
      if (!isInclude && !isExtendsHref) {
        const c = resolve(part, file, chain);
        copy.children.push(c);
        copy.content!.push(c);
        continue;
      }
      const where = `${file}:${part.line}`;
      const href = part.attrs['href'];
      if (href === undefined) throw schError(where, 'include without href');
      const target = resolveHref(file, href, where);
      if (chain.includes(target.file) && target.fragment === undefined) throw schError(where, `include cycle through '${target.file}'`);
      if (chain.length >= MAX_INCLUDE_DEPTH) throw schError(where, `includes nested deeper than ${MAX_INCLUDE_DEPTH}`);
      const doc = parseFile(target.file, where);
      const picked = target.fragment === undefined ? doc : findById(doc, target.fragment);
      if (!picked) throw schError(where, `no element with id '${target.fragment}' in '${target.file}'`);
      const included = resolve(picked, target.file, [...chain, target.file]);
      // include puts the element itself in place; extends (2016) puts its children.
      const parts = isInclude ? [included] : (included.content ?? included.children);
      for (const p of parts) {
        if (typeof p !== 'string') copy.children.push(p);
        copy.content!.push(p);
      }
    }
    return copy;
  };

  const main = parseFile(mainPath, mainPath);
  if (!isSch(main, 'schema')) {
    throw schError(mainPath, `the root element is {${main.ns}}${main.name}, not a Schematron schema (${SCH_NS})`);
  }
  return { root: resolve(main, mainPath, [mainPath]), files, fileOf };
}
