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

  // Dispatch: per pattern and node key ('{ns}local' or '@local'), the candidate rules in priority order.
  // One map per pattern, so the per-node lookup builds no string (this runs for every node × pattern).
  const dispatch = new Map<PatternId, Map<string, CompiledRule[]>>(PATTERNS.map((p) => [p, new Map()]));
  const candidates = (pattern: PatternId, key: string, isElement: boolean): CompiledRule[] => {
    const byKey = dispatch.get(pattern)!;
    let list = byKey.get(key);
    if (list === undefined) {
      list = patterns
        .get(pattern)!
        .filter((r) => r.match.keys.some((mk) => mk === key || (isElement && mk === '*')));
      byKey.set(key, list);
    }
    return list;
  };

  return {
    patterns,
    ruleIds,
    ruleFor(pattern, node) {
      const isElement = node.kind === 'element';
      const key = isElement ? node.clark : `@${node.local}`;
      for (const r of candidates(pattern, key, isElement)) if (matches(r.match, node)) return r;
      return undefined;
    },
  };
}

/** Shorthand for rule modules: `rule({...})` keeps the literal typed. */
export function rule(def: RuleDef): RuleDef {
  return def;
}
