/**
 * Navigation helpers for rules, named after the XPath they replace. Names are 'prefix:local'
 * with the Schematron prefixes (cbc, cac, ubl, cn, ext…) or Clark '{uri}local'.
 * All return elements in document order; none allocate more than the result.
 */
import type { XAttribute, XElement, XNode } from './document.js';
import { toClark } from './namespaces.js';

/** Parents with more children than this get a by-name index (the root of a 5 000-line invoice). */
const INDEX_FROM = 32;
const childIndexes = new WeakMap<XElement, Map<string, XElement[]>>();
const NONE: readonly XElement[] = Object.freeze([]);

/**
 * The children of `el` with Clark name `c`, in document order. Shared, never to be modified:
 * a large parent is indexed once, so root-level rules asking for `cbc:ID` do not each walk
 * every invoice line.
 */
function kidsNamed(el: XElement, c: string): readonly XElement[] {
  const kids = el.children;
  if (kids.length <= INDEX_FROM) {
    let out: XElement[] | undefined;
    for (const k of kids) if (k.clark === c) (out ??= []).push(k);
    return out ?? NONE;
  }
  let index = childIndexes.get(el);
  if (index === undefined) {
    index = new Map();
    for (const k of kids) {
      const list = index.get(k.clark);
      if (list) list.push(k);
      else index.set(k.clark, [k]);
    }
    childIndexes.set(el, index);
  }
  return index.get(c) ?? NONE;
}

/** `el/name` — children with that name. */
export function childrenNamed(el: XElement | null | undefined, name: string): XElement[] {
  if (!el) return [];
  return kidsNamed(el, toClark(name)).slice();
}

/** `el/name[1]` */
export function child(el: XElement | null | undefined, name: string): XElement | undefined {
  if (!el) return undefined;
  return kidsNamed(el, toClark(name))[0];
}

/** `el/a/b/c` — every element reached by a child path ('cac:Party/cac:PostalAddress/cbc:CityName'). */
export function select(el: XElement | null | undefined, path: string): XElement[] {
  if (!el) return [];
  const steps = pathSteps(path);
  if (steps.length === 1 && steps[0] !== '..') return kidsNamed(el, steps[0]!).slice();
  let cur: XElement[] = [el];
  for (const c of steps) {
    if (c === '..') {
      cur = uniq(cur.map((e) => e.parent).filter((p): p is XElement => p !== null));
      continue;
    }
    const next: XElement[] = [];
    for (const e of cur) for (const k of kidsNamed(e, c)) next.push(k);
    cur = next;
    if (cur.length === 0) break;
  }
  return cur;
}

const stepCache = new Map<string, string[]>();

/** A child path as Clark names ('..' kept), split once per distinct path. */
function pathSteps(path: string): string[] {
  let steps = stepCache.get(path);
  if (steps === undefined) {
    steps = path.split('/').map((s) => (s === '..' ? s : toClark(s)));
    stepCache.set(path, steps);
  }
  return steps;
}

/** Depth-first along child steps: the first element reached, in select()'s order (document order). */
function firstFrom(e: XElement, steps: readonly string[], i: number): XElement | undefined {
  if (i === steps.length) return e;
  for (const k of kidsNamed(e, steps[i]!)) {
    const found = firstFrom(k, steps, i + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `el/a/b/c[1]` in document order. */
export function first(el: XElement | null | undefined, path: string): XElement | undefined {
  if (!el) return undefined;
  const steps = pathSteps(path);
  // Without '..' no array per step is needed (rules ask this per line, per amount).
  return steps.includes('..') ? select(el, path)[0] : firstFrom(el, steps, 0);
}

/** `exists(el/a/b)` */
export function exists(el: XElement | null | undefined, path: string): boolean {
  return first(el, path) !== undefined;
}

/** `el//name` — descendants (not self) with that name, document order. */
export function descendants(el: XElement | null | undefined, name: string): XElement[] {
  if (!el) return [];
  const c = toClark(name);
  if (el.parent === null) {
    // The root comes first in document order; the shared list is returned when it is not in it.
    const all = el.doc.byName(c);
    return all[0] === el ? all.slice(1) : all;
  }
  const out: XElement[] = [];
  const stack = [...el.children].reverse();
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.clark === c) out.push(e);
    for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]!);
  }
  return out;
}

/** `//name` anywhere in the node's document. */
export function anywhere(node: XNode, name: string): XElement[] {
  const el = node.kind === 'attribute' ? node.parent : node;
  return el.doc.byName(toClark(name));
}

/** `@name` (unqualified attributes, as UBL uses). */
export function attr(el: XElement | null | undefined, local: string): string | undefined {
  if (!el) return undefined;
  for (const a of el.attrs) if (a.local === local && a.ns === '') return a.value;
  return undefined;
}

export function attrNode(el: XElement | null | undefined, local: string): XAttribute | undefined {
  if (!el) return undefined;
  return el.attrs.find((a) => a.local === local && a.ns === '');
}

/** XPath string value: an element's descendant text concatenated, an attribute's value. '' for none. */
export function stringValue(node: XNode | null | undefined): string {
  if (!node) return '';
  if (node.kind === 'attribute') return node.value;
  if (node.children.length === 0) return node.text;
  let s = node.text;
  for (const k of node.children) s += stringValue(k);
  return s;
}

/** String value of `el/path[1]`, '' when absent (XPath's string() of an empty sequence). */
export function textOf(el: XElement | null | undefined, path?: string): string {
  if (!el) return '';
  return stringValue(path === undefined ? el : first(el, path));
}

/** XPath normalize-space(). */
export function normalizeSpace(s: string): string {
  return s.replace(/[ \t\r\n]+/g, ' ').trim();
}

/** XPath upper-case() for the ASCII-and-beyond cases rules need. */
export function upperCase(s: string): string {
  return s.toUpperCase();
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** `(el/path) != ''` — XPath general comparison: some node on the path has a non-empty string value. */
export function anyNonEmpty(el: XElement | null | undefined, path: string): boolean {
  return select(el, path).some((n) => stringValue(n) !== '');
}

/** `el/path = value` — some node on the path has exactly this string value. */
export function anyEquals(el: XElement | null | undefined, path: string, value: string): boolean {
  return select(el, path).some((n) => stringValue(n) === value);
}

/** The context node as an element (rules whose context is an element); an attribute's parent otherwise. */
export function elementOf(n: XNode): XElement {
  return n.kind === 'element' ? n : n.parent;
}
