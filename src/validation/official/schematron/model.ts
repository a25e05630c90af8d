/**
 * The Schematron schema as the XSLT emitter needs it, after includes, abstract patterns (is-a with
 * params), abstract rules (extends) and phase selection: only concrete, active patterns remain.
 */
import type { XmlElement } from '../../../xml/parse.js';

export interface Let {
  name: string;
  value: string;
}

/** Message content: literal text, <name/> (name of a node), <value-of select/>. */
export type MessagePart = { text: string } | { name: string } | { valueOf: string };

export interface Check {
  kind: 'assert' | 'report';
  test: string;
  id?: string;
  flag?: string;
  role?: string;
  /** XPath (relative to the rule context) of the node the SVRL location names; default the context. */
  subject?: string;
  message: MessagePart[];
}

export interface Rule {
  context: string;
  id?: string;
  role?: string;
  subject?: string;
  lets: Let[];
  checks: Check[];
}

export interface Pattern {
  id?: string;
  name?: string;
  /** Pattern lets: global to the stylesheet (XSLT has no mode-scoped variables), evaluated on the document root. */
  lets: Let[];
  rules: Rule[];
}

export interface SchemaModel {
  title?: string;
  schemaVersion?: string;
  queryBinding: string;
  phase: string;
  ns: Array<{ prefix: string; uri: string }>;
  /** Schema lets and the active phase's lets. */
  lets: Let[];
  patterns: Pattern[];
  /** xsl:function / xsl:key elements given at schema level (allowed for the xslt2 binding). */
  xslt: XmlElement[];
}
