/**
 * The parsed invoice every rule reads: built once per document on top of the project's safe
 * parser (src/xml/parse.ts: no DOCTYPE, no entities, size and depth limits), with parent links,
 * Clark names, sibling positions and line numbers so rules navigate cheaply and findings can
 * say where.
 */
import { parseXmlInto, type ParseOptions, type XmlBuilder } from '../../xml/parse.js';
import { EfactError } from '../../domain/errors.js';
import { NS, displayPrefix, internedClark } from './namespaces.js';

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
  const doc = new Doc();
  doc.root = parseXmlInto(input, elementsOf(doc), options);
  const root = doc.root;
  if (root.ns === NS.ubl && root.local === 'Invoice') doc.type = 'Invoice';
  else if (root.ns === NS.cn && root.local === 'CreditNote') doc.type = 'CreditNote';
  return doc;
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

// Most elements have no attribute: they share one empty list (a 10 MB invoice has ~150 000 elements).
const NO_ATTRIBUTES: XAttribute[] = Object.freeze([]) as unknown as XAttribute[];

/**
 * Builds the model straight from the parser's events (one tree, not a parsed tree copied):
 * elements arrive in document order; sibling positions are settled when the parent closes.
 */
function elementsOf(doc: Doc): XmlBuilder<XElement> {
  return {
    open(tag, parent) {
      const el: XElement = {
        kind: 'element',
        ns: tag.ns,
        local: tag.local,
        // Interned, so name tests compare one pointer instead of ~70 characters.
        clark: internedClark(tag.ns, tag.local),
        prefix: tag.prefix,
        parent,
        children: [],
        attrs: NO_ATTRIBUTES,
        text: '',
        line: tag.line,
        index: 1,
        sameNameCount: 1,
        doc,
      };
      let attrs: XAttribute[] | undefined;
      for (const name in tag.attrs) (attrs ??= []).push({ kind: 'attribute', ns: '', local: name, value: tag.attrs[name]!, parent: el });
      if (attrs !== undefined) (el as { attrs: XAttribute[] }).attrs = attrs;
      if (parent !== null) parent.children.push(el);
      doc.elements.push(el);
      return el;
    },
    text(el, t) {
      (el as { text: string }).text += t;
    },
    close(el) {
      const kids = el.children;
      if (kids.length < 2) return;
      const counts = new Map<string, number>();
      for (const k of kids) {
        const n = (counts.get(k.clark) ?? 0) + 1;
        counts.set(k.clark, n);
        k.index = n;
      }
      for (const k of kids) k.sameNameCount = counts.get(k.clark)!;
    },
  };
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
