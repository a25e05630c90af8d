/**
 * The namespaces of UBL 2.1 invoices with the prefixes ANAF's Schematron uses. Rules name
 * elements as 'cbc:ID'; the prefix is resolved through this table, never through the
 * prefixes a particular document happens to declare.
 */
export const NS = {
  ubl: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  cn: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
  ext: 'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2',
  qdt: 'urn:oasis:names:specification:ubl:schema:xsd:QualifiedDataTypes-2',
  udt: 'urn:oasis:names:specification:ubl:schema:xsd:UnqualifiedDataTypes-2',
  xs: 'http://www.w3.org/2001/XMLSchema',
} as const;

export type KnownPrefix = keyof typeof NS;

const PREFIX_BY_NS = new Map<string, string>(Object.entries(NS).map(([p, uri]) => [uri, p]));

/** Prefix used in locations: cbc/cac/ext…; '' for the document roots' namespaces and no namespace. */
export function displayPrefix(ns: string): string | undefined {
  if (ns === '' || ns === NS.ubl || ns === NS.cn) return '';
  return PREFIX_BY_NS.get(ns);
}

/** Clark notation '{uri}local', the key every lookup uses. */
export function clark(ns: string, local: string): string {
  return `{${ns}}${local}`;
}

const interned = new Map<string, Map<string, string>>();

/** clark(ns, local), the same string object for the same name (documents repeat a few hundred names). */
let lastNs: string | null = null;
let lastByLocal: Map<string, string> | undefined;

export function internedClark(ns: string, local: string): string {
  // Neighbouring elements mostly share a namespace: one lookup saved per element.
  let byLocal = ns === lastNs ? lastByLocal : interned.get(ns);
  if (byLocal === undefined) {
    // Bounded: names from untrusted documents beyond the caps are built, not remembered.
    if (interned.size >= 256) return clark(ns, local);
    byLocal = new Map();
    interned.set(ns, byLocal);
  }
  lastNs = ns;
  lastByLocal = byLocal;
  let c = byLocal.get(local);
  if (c === undefined) {
    c = clark(ns, local);
    if (byLocal.size < 4096) byLocal.set(local, c);
  }
  return c;
}

const clarkCache = new Map<string, string>();

/** 'cbc:ID' → '{urn:…CommonBasicComponents-2}ID'; a bare name means no namespace; Clark names pass through. */
export function toClark(qname: string): string {
  let c = clarkCache.get(qname);
  if (c !== undefined) return c;
  if (qname.startsWith('{')) c = qname;
  else {
    const i = qname.indexOf(':');
    if (i < 0) c = internedClark('', qname);
    else {
      const prefix = qname.slice(0, i);
      const uri = (NS as Record<string, string>)[prefix];
      if (uri === undefined) throw new Error(`unknown namespace prefix in rule name '${qname}'`);
      c = internedClark(uri, qname.slice(i + 1));
    }
  }
  clarkCache.set(qname, c);
  return c;
}
