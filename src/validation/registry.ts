/**
 * The rule registry: merges the rule modules into ANAF's patterns, orders each pattern's rules by
 * priority (the .sch order) and builds the dispatch index the runner uses. Reproduces XSLT's
 * first-rule-wins: a node is checked only by the highest-priority rule of a pattern that matches it.
 */
import type { XNode } from './model/document.js';
import { matches } from './context-pattern.js';
import { PATTERNS, type AssertDef, type PatternId, type RuleDef } from './types.js';

export interface CompiledRule {
  pattern: PatternId;
  priority: number;
  context: string;
  match: RuleDef['match'];
  asserts: AssertDef[];
}

export interface RuleSet {
  /** Per pattern, rules by descending priority. */
  readonly patterns: ReadonlyMap<PatternId, readonly CompiledRule[]>;
  /** Every assert id the built-in rules implement. */
  readonly ruleIds: ReadonlySet<string>;
  /** The rule of `pattern` that handles `node`, or undefined (first-rule-wins). */
  ruleFor(pattern: PatternId, node: XNode): CompiledRule | undefined;
  /** Whether any rule of the pattern has an attribute context (else attributes need no visit). */
  hasAttributeRules(pattern: PatternId): boolean;
}

export function buildRuleSet(defs: readonly RuleDef[]): RuleSet {
  const byKey = new Map<string, CompiledRule>();
  for (const d of defs) {
    const key = `${d.pattern}#${d.priority}`;
    const existing = byKey.get(key);
    if (existing) {
      if (existing.context !== d.context) {
        throw new Error(
          `rules ${key} disagree on the context: '${existing.context}' vs '${d.context}' (same priority means same .sch rule)`,
        );
      }
      existing.asserts.push(...d.asserts);
    } else {
      byKey.set(key, { pattern: d.pattern, priority: d.priority, context: d.context, match: d.match, asserts: [...d.asserts] });
    }
  }
  const ruleIds = new Set<string>();
  const patterns = new Map<PatternId, CompiledRule[]>();
  for (const p of PATTERNS) patterns.set(p, []);
  for (const r of byKey.values()) {
    patterns.get(r.pattern)!.push(r);
    for (const a of r.asserts) {
      if (ruleIds.has(a.id)) throw new Error(`assert ${a.id} is defined twice`);
      ruleIds.add(a.id);
    }
  }
  for (const list of patterns.values()) list.sort((a, b) => b.priority - a.priority);

  // Dispatch: per pattern, by element Clark name or attribute local name, the candidate rules in
  // priority order (built on first sight of a name; no string building per node).
  const elementDispatch = new Map<PatternId, Map<string, CompiledRule[]>>();
  const attributeDispatch = new Map<PatternId, Map<string, CompiledRule[]>>();
  const attributeRules = new Set<PatternId>();
  for (const p of PATTERNS) {
    elementDispatch.set(p, new Map());
    attributeDispatch.set(p, new Map());
    if (patterns.get(p)!.some((r) => r.match.keys.some((k) => k.startsWith('@')))) attributeRules.add(p);
  }
  const candidates = (pattern: PatternId, name: string, isElement: boolean): CompiledRule[] => {
    const byName = (isElement ? elementDispatch : attributeDispatch).get(pattern)!;
    let list = byName.get(name);
    if (list === undefined) {
      const key = isElement ? name : `@${name}`;
      list = patterns.get(pattern)!.filter((r) => r.match.keys.some((mk) => mk === key || (isElement && mk === '*')));
      byName.set(name, list);
    }
    return list;
  };

  return {
    patterns,
    ruleIds,
    ruleFor(pattern, node) {
      const isElement = node.kind === 'element';
      const list = candidates(pattern, isElement ? node.clark : node.local, isElement);
      for (let i = 0; i < list.length; i++) if (matches(list[i]!.match, node)) return list[i];
      return undefined;
    },
    hasAttributeRules(pattern) {
      return attributeRules.has(pattern);
    },
  };
}

/** Shorthand for rule modules: `rule({...})` keeps the literal typed. */
export function rule(def: RuleDef): RuleDef {
  return def;
}
