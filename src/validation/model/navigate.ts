/**
 * Navigation helpers for rules, named after the XPath they replace. Names are 'prefix:local'
 * with the Schematron prefixes (cbc, cac, ubl, cn, ext…) or Clark '{uri}local'.
 * All return elements in document order; none allocate more than the result.
 */
import type { XAttribute, XElement, XNode } from './document.js';
import { toClark } from './namespaces.js';

/** `el/name` — children with that name. */
export function childrenNamed(el: XElement | null | undefined, name: string): XElement[] {
  if (!el) return [];
  const c = toClark(name);
  const out: XElement[] = [];
  for (const k of el.children) if (k.clark === c) out.push(k);
  return out;
}

/** `el/name[1]` */
export function child(el: XElement | null | undefined, name: string): XElement | undefined {
  if (!el) return undefined;
  const c = toClark(name);
  for (const k of el.children) if (k.clark === c) return k;
  return undefined;
}

/** `el/a/b/c` — every element reached by a child path ('cac:Party/cac:PostalAddress/cbc:CityName'). */
export function select(el: XElement | null | undefined, path: string): XElement[] {
  if (!el) return [];
  let cur: XElement[] = [el];
  for (const c of pathSteps(path)) {
    if (c === '..') {
      cur = uniq(cur.map((e) => e.parent).filter((p): p is XElement => p !== null));
      continue;
    }
    const next: XElement[] = [];
    for (const e of cur) for (const k of e.children) if (k.clark === c) next.push(k);
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

/** `el/a/b/c[1]` in document order. */
export function first(el: XElement | null | undefined, path: string): XElement | undefined {
  return select(el, path)[0];
}

/** `exists(el/a/b)` */
export function exists(el: XElement | null | undefined, path: string): boolean {
  return select(el, path).length > 0;
}

/** `el//name` — descendants (not self) with that name, document order. */
export function descendants(el: XElement | null | undefined, name: string): XElement[] {
  if (!el) return [];
  const c = toClark(name);
  if (el.parent === null) return el.doc.byName(c).filter((e) => e !== el);
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
