/**
 * The UBL 2.1 structure model at run time: the generated data (ubl-model.generated.ts) decoded
 * once into lookups by Clark name, so the checker does one Map lookup per element.
 */
import { clark } from '../model/namespaces.js';
import { MODEL_PREFIXES } from './prefixes.js';
import { UBL_21_STRUCTURE } from './ubl-model.generated.js';

/** The generated data, as written by generate.ts. */
export interface StructureModelData {
  roots: Record<string, string>;
  openTypes: string[];
  leafTypes: Record<string, { value: string; attributes: string }>;
  sequences: Record<string, string>;
  elements: Record<string, string>;
}

/** xsd built-ins a leaf's text is checked against (strings accept any text). */
export type ValueType = 'xsd:decimal' | 'xsd:date' | 'xsd:time' | 'xsd:dateTime' | 'xsd:boolean' | 'xsd:base64Binary' | 'xsd:string' | 'xsd:normalizedString';

export interface LeafType {
  kind: 'leaf';
  /** e.g. 'udt:AmountType' */
  name: string;
  value: ValueType;
  /** Attribute local names allowed (unqualified, as UBL declares them). */
  attributes: ReadonlySet<string>;
  required: readonly string[];
}

export interface Particle {
  /** 'cbc:ID' */
  name: string;
  clark: string;
  ns: string;
  min: number;
  max: number;
  /** The element's declaration (linked after decoding), so the checker needs no second lookup. */
  decl: ElementDecl;
}

export interface SequenceType {
  kind: 'sequence';
  name: string;
  particles: Particle[];
  /** Clark name → position in particles. */
  position: ReadonlyMap<string, number>;
  /**
   * Local name → position where that local name occurs once in the sequence, -1 where it occurs
   * more than once (then `position` decides). The parser's local names are flat strings, cheaper
   * to hash than the per-element Clark concatenations.
   */
  positionByLocal: ReadonlyMap<string, number>;
  /** Local name → particle names with that local name (for "did you mean cac:X" hints). */
  byLocal: ReadonlyMap<string, string>;
}

export interface OpenType {
  kind: 'open';
  name: string;
}

export type StructureType = LeafType | SequenceType | OpenType;

export interface ElementDecl {
  /** 'cbc:ID' */
  name: string;
  type: StructureType;
}

export interface StructureModel {
  /** Global elements by Clark name. */
  elements: ReadonlyMap<string, ElementDecl>;
  /** The document roots (Invoice, CreditNote) by Clark name. */
  roots: ReadonlyMap<string, ElementDecl>;
}

function clarkOf(name: string): string {
  const i = name.indexOf(':');
  const ns = MODEL_PREFIXES[name.slice(0, i)];
  if (ns === undefined) throw new Error(`structure model: unknown prefix in ${name}`);
  return clark(ns, name.slice(i + 1));
}

const OCCURS = /^([^?*+{]+)(\?|\*|\+|\{(\d+),(\d*)\})?$/;

/** Decodes the generated data. Exported for tests; the checker uses `structureModel()`. */
export function decodeModel(data: StructureModelData): StructureModel {
  const types = new Map<string, StructureType>();
  for (const [name, t] of Object.entries(data.leafTypes)) {
    const attrs = t.attributes === '' ? [] : t.attributes.split(' ');
    types.set(name, {
      kind: 'leaf',
      name,
      value: t.value as ValueType,
      attributes: new Set(attrs.map((a) => a.replace(/!$/, ''))),
      required: attrs.filter((a) => a.endsWith('!')).map((a) => a.slice(0, -1)),
    });
  }
  for (const name of data.openTypes) types.set(name, { kind: 'open', name });
  for (const [name, text] of Object.entries(data.sequences)) {
    const particles: Particle[] = [];
    for (const token of text === '' ? [] : text.split(' ')) {
      const m = OCCURS.exec(token);
      if (!m) throw new Error(`structure model: bad particle '${token}' in ${name}`);
      const [, el, suffix, lo, hi] = m;
      let min = 1;
      let max = 1;
      if (suffix === '?') min = 0;
      else if (suffix === '*') [min, max] = [0, Infinity];
      else if (suffix === '+') max = Infinity;
      else if (suffix !== undefined) [min, max] = [Number(lo), hi === '' ? Infinity : Number(hi)];
      const i = el!.indexOf(':');
      particles.push({ name: el!, clark: clarkOf(el!), ns: MODEL_PREFIXES[el!.slice(0, i)]!, min, max, decl: null as unknown as ElementDecl });
    }
    const byLocal = new Map<string, string>();
    for (const p of particles) {
      const local = p.name.slice(p.name.indexOf(':') + 1);
      byLocal.set(local, byLocal.has(local) ? `${byLocal.get(local)} or ${p.name}` : p.name);
    }
    const positionByLocal = new Map<string, number>();
    particles.forEach((p, i) => {
      const local = p.name.slice(p.name.indexOf(':') + 1);
      positionByLocal.set(local, positionByLocal.has(local) ? -1 : i);
    });
    types.set(name, { kind: 'sequence', name, particles, position: new Map(particles.map((p, i) => [p.clark, i])), positionByLocal, byLocal });
  }
  const elements = new Map<string, ElementDecl>();
  for (const [name, typeName] of Object.entries(data.elements)) {
    const type = types.get(typeName);
    if (type === undefined) throw new Error(`structure model: ${name} has unknown type ${typeName}`);
    elements.set(clarkOf(name), { name, type });
  }
  for (const t of types.values()) {
    if (t.kind !== 'sequence') continue;
    for (const p of t.particles) {
      const d = elements.get(p.clark);
      if (d === undefined) throw new Error(`structure model: ${t.name} refers to undeclared ${p.name}`);
      p.decl = d;
    }
  }
  const roots = new Map<string, ElementDecl>();
  for (const name of Object.keys(data.roots)) roots.set(clarkOf(name), elements.get(clarkOf(name))!);
  return { elements, roots };
}

let decoded: StructureModel | null = null;

/** The UBL 2.1 Invoice/CreditNote model, decoded on first use. */
export function structureModel(): StructureModel {
  decoded ??= decodeModel(UBL_21_STRUCTURE);
  return decoded;
}
