/**
 * The parsed invoice every rule reads: built once per document on top of the project's safe
 * parser (src/xml/parse.ts: no DOCTYPE, no entities, size and depth limits), with parent links,
 * Clark names, sibling positions and line numbers so rules navigate cheaply and findings can
 * say where.
 */
import { parseXml, type ParseOptions, type XmlElement } from '../../xml/parse.js';
import { EfactError } from '../../domain/errors.js';
import { NS, clark, displayPrefix } from './namespaces.js';

export interface XElement {
  readonly kind: 'element';
  readonly ns: string;
  readonly local: string;
  /** '{ns}local' */
  readonly clark: string;
  /** The prefix the document used for it ('' for none); XPath's name() is prefix:local. */
  readonly prefix: string;
  readonly parent: XElement | null;
  readonly children: XElement[];
  readonly attrs: XAttribute[];
  /** Direct text content, untrimmed (see stringValue for XPath's string value). */
  readonly text: string;
  readonly line: number;
  /** 1-based position among siblings with the same name. */
  index: number;
  /** How many siblings (itself included) share its name. */
  sameNameCount: number;
  readonly doc: InvoiceDocument;
}

export interface XAttribute {
  readonly kind: 'attribute';
  /** Namespace URI; '' for UBL's unqualified attributes. */
  readonly ns: string;
  readonly local: string;
  readonly value: string;
  readonly parent: XElement;
}

export type XNode = XElement | XAttribute;

export type DocumentType = 'Invoice' | 'CreditNote';

export interface InvoiceDocument {
  readonly root: XElement;
  /** 'Invoice' / 'CreditNote' when the root is one of UBL's, null for anything else (rules still run, as ANAF's do). */
  readonly type: DocumentType | null;
  /** Every element in document order (root first), for descendant searches. */
  readonly elements: XElement[];
  /** Elements by Clark name, document order; built lazily. */
  byName(clarkName: string): XElement[];
}

export type DocumentParseOptions = ParseOptions;

/** Parses untrusted bytes into the rule model. Throws EfactError(INVALID_XML | XML_DTD_FORBIDDEN | TOO_LARGE). */
export function parseInvoiceDocument(input: Uint8Array | string, options: DocumentParseOptions = {}): InvoiceDocument {
  const tree = parseXml(input, options);
  return buildDocument(tree);
}

class Doc implements InvoiceDocument {
  root!: XElement;
  type: DocumentType | null = null;
  elements: XElement[] = [];
  private index: Map<string, XElement[]> | null = null;

  byName(clarkName: string): XElement[] {
    if (this.index === null) {
      const m = new Map<string, XElement[]>();
      for (const e of this.elements) {
        const list = m.get(e.clark);
        if (list) list.push(e);
        else m.set(e.clark, [e]);
      }
      this.index = m;
    }
    return this.index.get(clarkName) ?? [];
  }
}

function buildDocument(tree: XmlElement): InvoiceDocument {
  const doc = new Doc();
  const make = (src: XmlElement, parent: XElement | null): XElement => {
    const el: XElement = {
      kind: 'element',
      ns: src.ns,
      local: src.name,
      clark: clark(src.ns, src.name),
      prefix: src.prefix ?? '',
      parent,
      children: [],
      attrs: [],
      text: src.text,
      line: src.line,
      index: 1,
      sameNameCount: 1,
      doc,
    };
    for (const [name, value] of Object.entries(src.attrs)) {
      (el.attrs as XAttribute[]).push({ kind: 'attribute', ns: '', local: name, value, parent: el });
    }
    return el;
  };
  const root = make(tree, null);
  // Iterative so deep (but depth-limited) documents cannot exhaust the stack.
  const stack: Array<[XmlElement, XElement]> = [[tree, root]];
  while (stack.length > 0) {
    const [src, el] = stack.pop()!;
    const counts = new Map<string, number>();
    const kids: Array<[XmlElement, XElement]> = [];
    for (const c of src.children) {
      const k = make(c, el);
      const n = (counts.get(k.clark) ?? 0) + 1;
      counts.set(k.clark, n);
      k.index = n;
      el.children.push(k);
      kids.push([c, k]);
    }
    for (const k of el.children) k.sameNameCount = counts.get(k.clark) ?? 1;
    for (const k of kids) stack.push(k);
  }
  // Document order (pre-order), which descendant searches and findings follow.
  const walk: XElement[] = [root];
  while (walk.length > 0) {
    const e = walk.pop()!;
    doc.elements.push(e);
    for (let i = e.children.length - 1; i >= 0; i--) walk.push(e.children[i]!);
  }
  doc.root = root;
  if (root.ns === NS.ubl && root.local === 'Invoice') doc.type = 'Invoice';
  else if (root.ns === NS.cn && root.local === 'CreditNote') doc.type = 'CreditNote';
  return doc;
}

/** Like parseInvoiceDocument but refuses roots other than UBL Invoice / CreditNote. */
export function parseUblInvoice(input: Uint8Array | string, options: DocumentParseOptions = {}): InvoiceDocument {
  const doc = parseInvoiceDocument(input, options);
  if (doc.type === null) {
    throw new EfactError(
      'NOT_AN_INVOICE',
      `the root element {${doc.root.ns}}${doc.root.local} is neither a UBL Invoice nor a UBL CreditNote`,
    );
  }
  return doc;
}

/** A node's location as an XPath with the Schematron prefixes, e.g. /Invoice/cac:InvoiceLine[3]/cbc:LineExtensionAmount. */
export function locationOf(node: XNode): string {
  const parts: string[] = [];
  let el: XElement | null;
  if (node.kind === 'attribute') {
    parts.push(`@${node.local}`);
    el = node.parent;
  } else el = node;
  while (el !== null) {
    const p = displayPrefix(el.ns);
    const name = p === undefined ? `*:${el.local}` : p === '' ? el.local : `${p}:${el.local}`;
    parts.push(el.sameNameCount > 1 ? `${name}[${el.index}]` : name);
    el = el.parent;
  }
  return '/' + parts.reverse().join('/');
}

/** XPath name(): the node's name as the document wrote it. */
export function nameOf(node: XNode): string {
  if (node.kind === 'attribute') return node.local;
  return node.prefix === '' ? node.local : `${node.prefix}:${node.local}`;
}

export function lineOf(node: XNode): number {
  return node.kind === 'attribute' ? node.parent.line : node.line;
}
