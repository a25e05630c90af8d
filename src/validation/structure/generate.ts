/**
 * Generator of `ubl-model.generated.ts`: reads OASIS UBL 2.1 xsdrt (the maindoc Invoice and
 * CreditNote schemas and what they import) and writes the compact structure model the checker
 * uses, so the product needs no XSD at run time.
 *
 * Only the XSD subset UBL 2.1 xsdrt uses is understood (global elements referenced from flat
 * sequences, simple content by extension/restriction down to CCTS and xsd built-ins, one xsd:any
 * in ExtensionContent); anything else reachable from Invoice/CreditNote stops the generator
 * rather than being guessed at. Schema files are loaded per namespace when first needed, so the
 * xmldsig/XAdES modules (behind ExtensionContent's xsd:any, one of them with a DOCTYPE) are never read.
 *
 * Run (after `npm run build`):
 *   node dist/validation/structure/generate.js ../shared/reference/ubl-2.1/xsdrt
 * writes src/validation/structure/ubl-model.generated.ts (path relative to the working directory,
 * or the second argument).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseXml, type XmlElement } from '../../xml/parse.js';
import { MODEL_PREFIXES } from './prefixes.js';

const XSD = 'http://www.w3.org/2001/XMLSchema';

const PREFIX_OF = new Map(Object.entries(MODEL_PREFIXES).map(([p, ns]) => [ns, p]));

interface Schema {
  file: string;
  targetNs: string;
  /** prefix → namespace as declared on xsd:schema ('' = default namespace). */
  bindings: Map<string, string>;
  root: XmlElement;
  /** namespace → schemaLocation (absolute) of its xsd:import / xsd:include. */
  imports: Map<string, string>;
}

type QName = { ns: string; local: string };

class SchemaSet {
  private byNs = new Map<string, Schema[]>();
  private loaded = new Set<string>();
  /** Where each namespace can be loaded from, learned from the imports seen so far. */
  private locations = new Map<string, string>();

  constructor(entryFiles: string[]) {
    for (const f of entryFiles) this.load(f);
  }

  private load(file: string): void {
    if (this.loaded.has(file)) return;
    this.loaded.add(file);
    const text = readFileSync(file, 'utf8');
    const head = /<xsd:schema\b([^>]*)>/.exec(text);
    if (!head) throw new Error(`${file}: no <xsd:schema> start tag`);
    const bindings = new Map<string, string>();
    for (const m of head[1]!.matchAll(/xmlns(?::([\w.-]+))?\s*=\s*"([^"]*)"/g)) bindings.set(m[1] ?? '', m[2]!);
    const root = parseXml(text, { maxBytes: 50 * 1024 * 1024 });
    const targetNs = root.attrs['targetNamespace'] ?? '';
    const imports = new Map<string, string>();
    const schema: Schema = { file, targetNs, bindings, root, imports };
    const list = this.byNs.get(targetNs) ?? [];
    list.push(schema);
    this.byNs.set(targetNs, list);
    for (const c of root.children) {
      if (c.ns !== XSD) continue;
      const loc = c.attrs['schemaLocation'];
      if (loc === undefined) continue;
      const abs = path.resolve(path.dirname(file), loc);
      if (c.name === 'include') this.load(abs); // same namespace: part of this schema
      else if (c.name === 'import') {
        const ns = c.attrs['namespace'] ?? '';
        imports.set(ns, abs);
        if (!this.locations.has(ns)) this.locations.set(ns, abs);
      }
    }
  }

  private schemasOf(ns: string): Schema[] {
    if (!this.byNs.has(ns)) {
      const loc = this.locations.get(ns);
      if (loc === undefined) throw new Error(`no schema known for namespace ${ns}`);
      this.load(loc);
    }
    return this.byNs.get(ns) ?? [];
  }

  /** The top-level xsd:<kind name="local"> of that namespace. */
  find(kind: 'element' | 'complexType', q: QName): { def: XmlElement; schema: Schema } {
    for (const schema of this.schemasOf(q.ns)) {
      for (const c of schema.root.children) {
        if (c.ns === XSD && c.name === kind && c.attrs['name'] === q.local) return { def: c, schema };
      }
    }
    throw new Error(`${kind} {${q.ns}}${q.local} not found`);
  }
}

function resolveQName(schema: Schema, qname: string): QName {
  const i = qname.indexOf(':');
  const prefix = i < 0 ? '' : qname.slice(0, i);
  const ns = schema.bindings.get(prefix);
  if (ns === undefined) throw new Error(`${schema.file}: prefix '${prefix}' of ${qname} is not declared`);
  return { ns, local: i < 0 ? qname : qname.slice(i + 1) };
}

function modelName(q: QName): string {
  if (q.ns === XSD) return `xsd:${q.local}`;
  const p = PREFIX_OF.get(q.ns);
  if (p === undefined) throw new Error(`namespace ${q.ns} (of ${q.local}) has no model prefix`);
  return `${p}:${q.local}`;
}

/** XSD children that carry meaning (annotations and documentation dropped). */
function xsdKids(el: XmlElement): XmlElement[] {
  return el.children.filter((c) => c.ns === XSD && c.name !== 'annotation');
}

function only(el: XmlElement, what: string): XmlElement {
  const kids = xsdKids(el);
  if (kids.length !== 1) throw new Error(`${what}: expected exactly one XSD child, found ${kids.map((k) => k.name).join(',') || 'none'}`);
  return kids[0]!;
}

function occurs(el: XmlElement): { min: number; max: number } {
  const min = Number(el.attrs['minOccurs'] ?? '1');
  const maxText = el.attrs['maxOccurs'] ?? '1';
  const max = maxText === 'unbounded' ? Infinity : Number(maxText);
  if (!Number.isInteger(min) || !(Number.isInteger(max) || max === Infinity)) throw new Error(`bad occurs on ${el.name}`);
  return { min, max };
}

function occursSuffix(min: number, max: number): string {
  if (min === 1 && max === 1) return '';
  if (min === 0 && max === 1) return '?';
  if (min === 0 && max === Infinity) return '*';
  if (min === 1 && max === Infinity) return '+';
  return `{${min},${max === Infinity ? '' : max}}`;
}

/** A simple-content type flattened: its xsd built-in value type and attributes (name → required). */
interface LeafType {
  value: string;
  attributes: Map<string, boolean>;
}

export interface GeneratedModel {
  roots: Record<string, string>;
  /** element → its type (a sequence type, a leaf type udt:*, or an open type). */
  elements: Record<string, string>;
  /** complex type → 'child child? child* …' in order. */
  sequences: Record<string, string>;
  /** udt type → { value: xsd built-in, attributes: 'name! name' (! = required) }. */
  leafTypes: Record<string, { value: string; attributes: string }>;
  /** Types whose content is xsd:any: not checked inside. */
  openTypes: string[];
}

/** Builds the model from an xsdrt folder (the one holding maindoc/ and common/). */
export function generateModel(xsdrtDir: string): GeneratedModel {
  const entries = [
    { file: 'maindoc/UBL-Invoice-2.1.xsd', root: { ns: MODEL_PREFIXES['ubl']!, local: 'Invoice' } },
    { file: 'maindoc/UBL-CreditNote-2.1.xsd', root: { ns: MODEL_PREFIXES['cn']!, local: 'CreditNote' } },
  ];
  const set = new SchemaSet(entries.map((e) => path.join(xsdrtDir, e.file)));
  const model: GeneratedModel = { roots: {}, elements: {}, sequences: {}, leafTypes: {}, openTypes: [] };
  const typeDone = new Set<string>();
  const pendingTypes: Array<{ q: QName }> = [];

  /** The udt type a simple-content chain reaches, and that type flattened down to xsd. */
  const leafOf = (q: QName): string => {
    let cur = q;
    // CBC types are plain extensions of a udt type: follow them to the udt one.
    while (cur.ns !== MODEL_PREFIXES['udt']) {
      const { def, schema } = set.find('complexType', cur);
      const sc = only(def, `${modelName(cur)}`);
      if (sc.name !== 'simpleContent') throw new Error(`${modelName(cur)}: expected simpleContent`);
      const d = only(sc, `${modelName(cur)}/simpleContent`);
      if (d.name !== 'extension' || xsdKids(d).length > 0) throw new Error(`${modelName(cur)}: expected a plain extension of a udt type`);
      cur = resolveQName(schema, d.attrs['base']!);
    }
    const name = modelName(cur);
    if (model.leafTypes[name] === undefined) {
      const leaf = flattenSimple(cur);
      model.leafTypes[name] = {
        value: leaf.value,
        attributes: [...leaf.attributes].map(([a, req]) => (req ? `${a}!` : a)).join(' '),
      };
    }
    return name;
  };

  const flattenSimple = (q: QName): LeafType => {
    if (q.ns === XSD) return { value: `xsd:${q.local}`, attributes: new Map() };
    const { def, schema } = set.find('complexType', q);
    const sc = only(def, `{${q.ns}}${q.local}`);
    if (sc.name !== 'simpleContent') throw new Error(`{${q.ns}}${q.local}: expected simpleContent`);
    const d = only(sc, `{${q.ns}}${q.local}/simpleContent`);
    if (d.name !== 'extension' && d.name !== 'restriction') throw new Error(`{${q.ns}}${q.local}: unexpected ${d.name}`);
    const base = flattenSimple(resolveQName(schema, d.attrs['base']!));
    const attributes = new Map(base.attributes);
    for (const a of xsdKids(d)) {
      if (a.name !== 'attribute') throw new Error(`{${q.ns}}${q.local}: unexpected ${a.name} in ${d.name}`);
      const use = a.attrs['use'] ?? 'optional';
      if (use === 'prohibited') attributes.delete(a.attrs['name']!);
      else attributes.set(a.attrs['name']!, use === 'required');
    }
    return { value: base.value, attributes };
  };

  /** Declares element q (global) in the model; queues its complex type. */
  const declareElement = (q: QName): string => {
    const name = modelName(q);
    if (model.elements[name] !== undefined) return name;
    const { def, schema } = set.find('element', q);
    const typeQ = resolveQName(schema, def.attrs['type'] ?? '');
    const { def: typeDef } = set.find('complexType', typeQ);
    const first = only(typeDef, modelName(typeQ));
    if (first.name === 'simpleContent') model.elements[name] = leafOf(typeQ);
    else if (first.name === 'sequence') {
      model.elements[name] = modelName(typeQ);
      pendingTypes.push({ q: typeQ });
    } else throw new Error(`${modelName(typeQ)}: unexpected ${first.name}`);
    return name;
  };

  const buildSequence = (q: QName): void => {
    const name = modelName(q);
    if (typeDone.has(name)) return;
    typeDone.add(name);
    const { def, schema } = set.find('complexType', q);
    const seq = only(def, name);
    const particles = xsdKids(seq);
    if (particles.length === 1 && particles[0]!.name === 'any') {
      // ExtensionContent: any element of another namespace, processContents lax — left unchecked.
      model.openTypes.push(name);
      return;
    }
    const parts: string[] = [];
    const seen = new Set<string>();
    for (const p of particles) {
      if (p.name !== 'element' || p.attrs['ref'] === undefined) throw new Error(`${name}: only element refs are supported, found ${p.name}`);
      const child = declareElement(resolveQName(schema, p.attrs['ref']));
      if (seen.has(child)) throw new Error(`${name}: ${child} occurs twice in the sequence`);
      seen.add(child);
      const { min, max } = occurs(p);
      parts.push(child + occursSuffix(min, max));
    }
    model.sequences[name] = parts.join(' ');
  };

  for (const e of entries) {
    const rootName = declareElement(e.root);
    model.roots[rootName] = model.elements[rootName]!;
  }
  while (pendingTypes.length > 0) buildSequence(pendingTypes.shift()!.q);
  return model;
}

const sortKeys = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The model as the TypeScript module committed in src/validation/structure/. */
export function renderModel(model: GeneratedModel): string {
  const obj = (o: Record<string, unknown>): string =>
    '{\n' + Object.entries(o).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`).join('\n') + '\n}';
  return [
    '// Generated by src/validation/structure/generate.ts from OASIS UBL 2.1 xsdrt',
    '// (maindoc/UBL-Invoice-2.1.xsd, maindoc/UBL-CreditNote-2.1.xsd and the common/ modules they import).',
    '// Do not edit: regenerate (see generate.ts). Occurrences: "" once, "?" optional, "*" any number,',
    '// "+" at least one, "{m,n}" otherwise; in leaf attributes "!" marks a required one.',
    "import type { StructureModelData } from './model.js';",
    '',
    'export const UBL_21_STRUCTURE: StructureModelData = {',
    `  roots: ${JSON.stringify(model.roots)},`,
    `  openTypes: ${JSON.stringify(model.openTypes)},`,
    `  leafTypes: ${obj(sortKeys(model.leafTypes)).replace(/\n/g, '\n  ')},`,
    `  sequences: ${obj(sortKeys(model.sequences)).replace(/\n/g, '\n  ')},`,
    `  elements: ${obj(sortKeys(model.elements)).replace(/\n/g, '\n  ')},`,
    '};',
    '',
  ].join('\n');
}

export const GENERATED_MODEL_FILE = 'src/validation/structure/ubl-model.generated.ts';

// Script entry: node dist/validation/structure/generate.js <xsdrt dir> [output file]
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const dir = process.argv[2];
  if (dir === undefined) {
    console.error('usage: node dist/validation/structure/generate.js <ubl-2.1/xsdrt dir> [output .ts]');
    process.exit(2);
  }
  const out = path.resolve(process.argv[3] ?? GENERATED_MODEL_FILE);
  const model = generateModel(path.resolve(dir));
  writeFileSync(out, renderModel(model));
  console.log(
    `wrote ${out}: ${Object.keys(model.elements).length} elements, ${Object.keys(model.sequences).length} aggregate types, ${Object.keys(model.leafTypes).length} leaf types`,
  );
}
