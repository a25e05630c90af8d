/**
 * The one safe XML parser of Efact, for untrusted invoices and platform answers alike.
 * No DTDs (so no entity expansion, internal or external), a size limit checked before parsing,
 * namespaces resolved, line numbers kept for error locations.
 */
import { SaxesParser } from 'saxes';
import { EfactError } from '../domain/errors.js';

export interface XmlElement {
  /** Local name, without prefix. */
  name: string;
  /** Namespace URI ('' when none). */
  ns: string;
  /** The prefix the document used ('' for none): XPath's name() (validation messages) needs it. */
  prefix?: string;
  /** Attributes by local name (namespaced attributes other than xmlns are kept by local name too). */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text content (CDATA included), untrimmed. */
  text: string;
  line: number;
  /** Text and child elements in document order; only with ParseOptions.mixedContent (Schematron messages need it). */
  content?: Array<string | XmlElement>;
}

export interface ParseOptions {
  /** Refuse documents larger than this many bytes. Default 10 MB (ANAF's upload limit). */
  maxBytes?: number;
  /** Refuse nesting deeper than this. Default 200. */
  maxDepth?: number;
  /** parseXml only: keep `content` (text and elements interleaved) on every element. Default false. */
  mixedContent?: boolean;
}

export const DEFAULT_MAX_XML_BYTES = 10 * 1024 * 1024;

function decode(input: Uint8Array | string): string {
  if (typeof input === 'string') return input;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(input);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function byteLength(input: Uint8Array | string): number {
  return typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
}

/** One start tag as the parser reports it to a builder (xmlns declarations already left out). */
export interface XmlTag {
  local: string;
  ns: string;
  prefix: string;
  /** Attributes by local name (namespaced attributes other than xmlns are kept by local name too); frozen and shared when none. */
  attrs: Readonly<Record<string, string>>;
  line: number;
}

/**
 * What parseXmlInto builds with: a tree of its own node type in one pass, so callers that need a
 * richer model than XmlElement (validation) do not build a second tree.
 */
export interface XmlBuilder<E> {
  open(tag: XmlTag, parent: E | null): E;
  text(el: E, text: string): void;
  /** After the element's children (optional). */
  close?(el: E): void;
}

/** The attributes of a tag that has none, shared (builders that keep them must copy this one). */
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;

const elementBuilder: XmlBuilder<XmlElement> = {
  open(tag, parent) {
    const attrs = tag.attrs === NO_ATTRIBUTES ? {} : tag.attrs;
    const el: XmlElement = { name: tag.local, ns: tag.ns, prefix: tag.prefix, attrs, children: [], text: '', line: tag.line };
    if (parent) parent.children.push(el);
    return el;
  },
  text(el, t) {
    el.text += t;
  },
};

/** elementBuilder that also keeps text and children interleaved in `content`. */
const mixedContentBuilder: XmlBuilder<XmlElement> = {
  open(tag, parent) {
    const el = elementBuilder.open(tag, parent);
    el.content = [];
    parent?.content?.push(el);
    return el;
  },
  text(el, t) {
    el.text += t;
    el.content?.push(t);
  },
};

/** Parses a whole document into a small element tree. Throws EfactError(INVALID_XML | XML_DTD_FORBIDDEN | TOO_LARGE). */
export function parseXml(input: Uint8Array | string, options: ParseOptions = {}): XmlElement {
  return parseXmlInto(input, options.mixedContent ? mixedContentBuilder : elementBuilder, options);
}

/** parseXml with the tree built by `builder`; the same limits and refusals. Returns the root. */
export function parseXmlInto<E>(input: Uint8Array | string, builder: XmlBuilder<E>, options: ParseOptions = {}): E {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const maxDepth = options.maxDepth ?? 200;
  const size = byteLength(input);
  if (size > maxBytes) {
    throw new EfactError('TOO_LARGE', `XML is ${size} bytes; the limit is ${maxBytes} bytes`, {
      details: { size, limit: maxBytes },
    });
  }
  const text = decode(input);
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: E[] = [];
  let root: E | null = null;
  let failure: EfactError | null = null;

  const fail = (e: EfactError): void => {
    if (failure === null) failure = e;
  };

  parser.on('doctype', () => {
    // A DOCTYPE is where entity bombs and external entities live; invoices never need one.
    fail(
      new EfactError('XML_DTD_FORBIDDEN', `DOCTYPE declarations are not accepted (line ${parser.line})`, {
        details: { line: parser.line },
      }),
    );
  });
  parser.on('opentag', (tag) => {
    if (failure) return;
    let attrs = NO_ATTRIBUTES;
    for (const key in tag.attributes) {
      const a = tag.attributes[key]!;
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      if (attrs === NO_ATTRIBUTES) attrs = {};
      attrs[a.local] = a.value;
    }
    const parent = stack.length > 0 ? stack[stack.length - 1]! : null;
    const el = builder.open({ local: tag.local, ns: tag.uri, prefix: tag.prefix, attrs, line: parser.line }, parent);
    if (parent === null) root = el;
    stack.push(el);
    if (stack.length > maxDepth) {
      fail(new EfactError('INVALID_XML', `XML nesting deeper than ${maxDepth} levels (line ${parser.line})`));
    }
  });
  parser.on('closetag', () => {
    // After a failure nothing more is opened, so the stack no longer matches the tags: skip.
    if (failure) return;
    const el = stack.pop();
    if (el !== undefined && builder.close) builder.close(el);
  });
  const onText = (t: string): void => {
    if (stack.length > 0) builder.text(stack[stack.length - 1]!, t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (err) => {
    fail(new EfactError('INVALID_XML', `malformed XML: ${err.message}`, { details: { line: parser.line } }));
  });

  try {
    parser.write(text).close();
  } catch (e) {
    fail(new EfactError('INVALID_XML', `malformed XML: ${(e as Error).message}`, { cause: e }));
  }
  if (failure) throw failure;
  if (root === null) throw new EfactError('INVALID_XML', 'malformed XML: no root element');
  return root;
}

/** First direct child with this local name (any namespace unless given). */
export function child(el: XmlElement | undefined, name: string, ns?: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name && (ns === undefined || c.ns === ns));
}

export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Follows a path of local names from `el`; returns the trimmed text or null. */
export function textAt(el: XmlElement | undefined, ...path: string[]): string | null {
  let cur = el;
  for (const p of path) cur = child(cur, p);
  if (!cur) return null;
  const t = cur.text.trim();
  return t === '' ? null : t;
}
