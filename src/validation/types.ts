/**
 * The shapes shared by the built-in rules and the official (XSLT) path.
 */
import type { InvoiceDocument, XElement, XNode } from './model/document.js';
import type { ContextPattern } from './context-pattern.js';

export type Severity = 'fatal' | 'warning';

/** One failed assertion, in ANAF's words. */
export interface Finding {
  /** Schematron assert id, e.g. 'BR-RO-001', 'BR-CO-10', 'BR-CL-01'. */
  ruleId: string;
  severity: Severity;
  /** ANAF's text from the .sch (Romanian#English where ANAF wrote both), whitespace collapsed. */
  message: string;
  /** XPath of the context node, e.g. /Invoice/cac:InvoiceLine[3]/cbc:LineExtensionAmount. */
  location: string;
  /** Line of the context node in the input (0 when unknown). */
  line: number;
}

/**
 * ANAF's Schematron patterns, in the order the compiled XSLT runs them. Within a pattern a node
 * is checked by the FIRST rule whose context matches it (XSLT template priority), never by two.
 */
export const PATTERNS = ['UBL-model', 'UBL-syntax', 'Codesmodel', 'ROmodel'] as const;
export type PatternId = (typeof PATTERNS)[number];

export interface AssertDef {
  id: string;
  flag: Severity;
  /** The assert's text exactly as in the bundle (whitespace is collapsed when reported). */
  message: string;
  /** True when the invoice passes (Schematron's assert test). */
  test: (node: XNode, env: RuleEnv) => boolean;
}

/** A Schematron <rule>: one context, several asserts. */
export interface RuleDef {
  pattern: PatternId;
  /**
   * The rule's priority in the compiled official XSLT (1000 + its position from the end of the
   * pattern in the .sch). Higher wins when several contexts match one node. Two RuleDefs with the
   * same pattern and priority are the same Schematron rule split across modules: their asserts merge.
   */
  priority: number;
  /** The context exactly as written in the .sch (documentation, and checked against the XSLT). */
  context: string;
  /** How the context is matched; see context-pattern.ts. */
  match: ContextPattern;
  asserts: AssertDef[];
}

/** What a test may consult besides the node. */
export interface RuleEnv {
  doc: InvoiceDocument;
  root: XElement;
}
