/**
 * validateInvoice: parse once, walk the document once per pattern in document order (elements,
 * then their attributes, then their children, as the XSLT's apply-templates select="@*|*"),
 * evaluate the winning rule's asserts, collect findings. Before the rules, the UBL 2.1 structure
 * check (structure/check.ts) reports schema violations.
 */
import { performance } from 'node:perf_hooks';
import { parseInvoiceDocument, locationOf, lineOf, nameOf, type InvoiceDocument, type XElement, type XNode } from './model/document.js';
import type { ParseOptions } from '../xml/parse.js';
import { PATTERNS, type Finding, type RuleEnv } from './types.js';
import type { RuleSet } from './registry.js';
import { builtInRules } from './rules/index.js';
import { stringValue } from './model/navigate.js';
import { checkStructure } from './structure/check.js';

export interface ValidateOptions extends ParseOptions {
  /** Rules to apply; default the built-in EN 16931 + CIUS-RO set. */
  rules?: RuleSet;
  /**
   * Check the UBL 2.1 structure (element order, occurrences, data types; UBL-XSD-* findings)
   * before the rules. Default true; the agreement test turns it off to compare rule ids alone.
   */
  structure?: boolean;
}

export interface ValidationResult {
  findings: Finding[];
  /** No fatal finding. */
  valid: boolean;
  /** Wall time spent (parse + rules), milliseconds. */
  ms: number;
}

/** Validates one invoice. Throws EfactError for input that is not well-formed or safe XML. */
export function validateInvoice(input: Uint8Array | string, options: ValidateOptions = {}): ValidationResult {
  const t0 = performance.now();
  const doc = parseInvoiceDocument(input, options);
  // Schema structure first (ANAF refuses schema-invalid XML before any business rule), then the
  // rules, which still run so one answer lists everything to fix.
  const structure = options.structure === false ? [] : checkStructure(doc);
  const rules = validateDocument(doc, options.rules ?? builtInRules());
  const findings = structure.length === 0 ? rules : structure.concat(rules);
  return { findings, valid: !findings.some((f) => f.severity === 'fatal'), ms: performance.now() - t0 };
}

export function validateDocument(doc: InvoiceDocument, rules: RuleSet): Finding[] {
  const env: RuleEnv = { doc, root: doc.root };
  const out: Finding[] = [];
  for (const pattern of PATTERNS) {
    if (rules.patterns.get(pattern)!.length === 0) continue;
    const visit = (node: XNode): void => {
      const r = rules.ruleFor(pattern, node);
      if (r === undefined) return;
      for (const a of r.asserts) {
        let ok: boolean;
        try {
          ok = a.test(node, env);
        } catch {
          // A test that cannot evaluate (the XSLT would stop with a dynamic error) counts as failed.
          ok = false;
        }
        if (!ok) {
          out.push({
            ruleId: a.id,
            severity: a.flag,
            message: renderMessage(a.message, node),
            // ANAF's XSLT builds locations with a template for elements only: for an attribute
            // context (//@currencyID, //@unitCode) the SVRL location is the attribute's value and
            // no line can be resolved. Reproduced so both paths report the same.
            location: node.kind === 'attribute' ? node.value : locationOf(node),
            line: node.kind === 'attribute' ? 0 : lineOf(node),
          });
        }
      }
    };
    const attributes = rules.hasAttributeRules(pattern);
    const stack: XElement[] = [doc.root];
    while (stack.length > 0) {
      const el = stack.pop()!;
      visit(el);
      if (attributes) for (const a of el.attrs) visit(a);
      for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]!);
    }
  }
  return out;
}

/** Assert texts with whitespace collapsed, computed once per text. */
const collapsedMessages = new Map<string, string>();

/**
 * The assert's text with the values the XSLT renders: `{name(.)}` (Schematron <name/>) and `{.}`
 * (<value-of select="."/>) of the context node. ANAF's texts contain no other braces.
 */
export function renderMessage(message: string, node: XNode): string {
  let text = collapsedMessages.get(message);
  if (text === undefined) {
    text = collapse(message);
    collapsedMessages.set(message, text);
  }
  if (!text.includes('{')) return text;
  return collapse(text.replace(/\{name\(\.\)\}/g, () => nameOf(node)).replace(/\{\.\}/g, () => stringValue(node)));
}

export function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
