/**
 * One pass over the document for all "should not include" restrictions: the forbidden paths are
 * compiled into a trie of element names, the document is walked once carrying the trie nodes each
 * element reaches (from the root, and from anywhere for '//' paths), and every path that reaches a
 * node is recorded. The hundreds of UBL-CR asserts then only look their id up.
 */
import type { InvoiceDocument, XElement } from '../../model/document.js';
import { toClark } from '../../model/namespaces.js';

interface TrieNode {
  /** Next step by Clark name. */
  readonly next: Map<string, TrieNode>;
  /** Ids whose path ends on this element. */
  readonly ids: string[];
  /** Ids whose path ends on an attribute of this element, by attribute name. */
  readonly attrs: Map<string, string[]>;
}

export interface ForbiddenPath {
  id: string;
  /** 'a/b/c', '//a/b', '(a|b)/c', optionally ending '/@attr'; '//@attr' for any attribute of that name. */
  path: string;
  /** Only for '//@attr': attributes on elements with this name do not count (UBL-DT-18 allows PaymentMeansCode/@name). */
  exceptOn?: string;
}

export interface ForbiddenIndex {
  readonly fromRoot: TrieNode;
  readonly anywhere: TrieNode;
  readonly anyAttribute: Map<string, Array<{ id: string; exceptOn?: string }>>;
  /** Results per parsed document (the asserts of one rule share one walk). */
  readonly cache: WeakMap<InvoiceDocument, ReadonlySet<string>>;
}

const node = (): TrieNode => ({ next: new Map(), ids: [], attrs: new Map() });

function add(start: TrieNode, steps: string[], id: string): void {
  let cur = start;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.startsWith('@')) {
      if (i !== steps.length - 1) throw new Error(`forbidden path of ${id}: an attribute must be the last step`);
      const list = cur.attrs.get(step.slice(1));
      if (list) list.push(id);
      else cur.attrs.set(step.slice(1), [id]);
      return;
    }
    const c = toClark(step);
    let n = cur.next.get(c);
    if (!n) cur.next.set(c, (n = node()));
    cur = n;
  }
  cur.ids.push(id);
}

export function compileForbidden(paths: readonly ForbiddenPath[]): ForbiddenIndex {
  const index: ForbiddenIndex = { fromRoot: node(), anywhere: node(), anyAttribute: new Map(), cache: new WeakMap() };
  for (const { id, path, exceptOn } of paths) {
    if (path.startsWith('//@')) {
      const name = path.slice(3);
      const entry = exceptOn === undefined ? { id } : { id, exceptOn: toClark(exceptOn) };
      const list = index.anyAttribute.get(name);
      if (list) list.push(entry);
      else index.anyAttribute.set(name, [entry]);
      continue;
    }
    let start = index.fromRoot;
    let rest = path;
    if (rest.startsWith('//')) {
      start = index.anywhere;
      rest = rest.slice(2);
    }
    const alt = /^\(([^)]*)\)\/(.*)$/.exec(rest);
    if (alt) {
      for (const first of alt[1]!.split('|')) add(start, [first.trim(), ...alt[2]!.split('/')], id);
    } else add(start, rest.split('/'), id);
  }
  return index;
}

/** The ids of every forbidden path present in the document (walked once, cached per document). */
export function forbiddenFound(doc: InvoiceDocument, index: ForbiddenIndex): ReadonlySet<string> {
  const cached = index.cache.get(doc);
  if (cached) return cached;
  const found = new Set<string>();
  const { anywhere, anyAttribute } = index;
  const stack: Array<[XElement, TrieNode[]]> = [];
  const rootStates: TrieNode[] = [index.fromRoot];
  const fromAnywhere = anywhere.next.get(doc.root.clark);
  if (fromAnywhere) rootStates.push(fromAnywhere);
  stack.push([doc.root, rootStates]);
  while (stack.length > 0) {
    const [el, states] = stack.pop()!;
    for (const s of states) {
      for (const id of s.ids) found.add(id);
      if (s.attrs.size > 0) {
        for (const a of el.attrs) {
          const ids = s.attrs.get(a.local);
          if (ids) for (const id of ids) found.add(id);
        }
      }
    }
    for (const a of el.attrs) {
      const entries = anyAttribute.get(a.local);
      if (entries) for (const e of entries) if (e.exceptOn !== el.clark) found.add(e.id);
    }
    for (const c of el.children) {
      let next: TrieNode[] | null = null;
      for (const s of states) {
        const n = s.next.get(c.clark);
        if (n) (next ??= []).push(n);
      }
      const a = anywhere.next.get(c.clark);
      if (a) (next ??= []).push(a);
      stack.push([c, next ?? NONE]);
    }
  }
  index.cache.set(doc, found);
  return found;
}

const NONE: TrieNode[] = [];
