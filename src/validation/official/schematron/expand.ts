/**
 * From the included schema tree to the concrete model (ISO/IEC 19757-3 §6): abstract patterns are
 * instantiated for each `is-a` with their params substituted, abstract rules are inlined where a
 * rule `extends` them, and the phase (default: the schema's defaultPhase, else #ALL) chooses the
 * patterns. Anything outside what this compiler carries is refused by name rather than ignored
 * where ignoring it could change a verdict.
 */
import type { XmlElement } from '../../../xml/parse.js';
import { isSch, SCH_NS, schError, type LoadedSchema } from './load.js';
import type { Check, Let, MessagePart, Pattern, Rule, SchemaModel } from './model.js';
import { substituteParams, substituteParamsInText } from './params.js';

const XSL_NS = 'http://www.w3.org/1999/XSL/Transform';
const XPATH_ATTRS = new Set(['context', 'test', 'select', 'value', 'path', 'subject']);
/** 'xslt' (the standard's default, XPath 1.0) runs under XPath 2.0's rules: near enough for schemas that do not say. */
const SUPPORTED_BINDINGS = new Set(['xslt', 'xslt2', 'xslt3', 'xpath', 'xpath2', 'xpath3', 'xpath31']);
/** Elements that only document the schema, or point to extra output (diagnostics, properties), never a verdict. */
const DOCUMENTATION = new Set(['title', 'p', 'diagnostics', 'properties', 'emph', 'dir', 'span']);

export interface ExpandOptions {
  /** Phase id, '#ALL' or '#DEFAULT' (the default: the schema's defaultPhase, else all patterns). */
  phase?: string;
}

/** A deep copy of `el` with params substituted in attributes (XPath-aware where the attribute holds XPath). */
function instantiate(el: XmlElement, params: ReadonlyMap<string, string>, fileOf: WeakMap<XmlElement, string>): XmlElement {
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(el.attrs)) {
    attrs[k] = XPATH_ATTRS.has(k) ? substituteParams(v, params) : k === 'id' ? v : substituteParamsInText(v, params);
  }
  const children: XmlElement[] = [];
  const content: Array<string | XmlElement> = [];
  for (const part of el.content ?? el.children) {
    if (typeof part === 'string') content.push(part);
    else {
      const c = instantiate(part, params, fileOf);
      children.push(c);
      content.push(c);
    }
  }
  const copy = { ...el, attrs, children, content };
  fileOf.set(copy, fileOf.get(el) ?? '?');
  return copy;
}

export function expandSchema(loaded: LoadedSchema, options: ExpandOptions = {}): SchemaModel {
  const schema = loaded.root;
  const where = (el: XmlElement): string => `${loaded.fileOf.get(el) ?? '?'}:${el.line}`;
  const need = (el: XmlElement, attr: string): string => {
    const v = el.attrs[attr];
    if (v === undefined || v.trim() === '') throw schError(where(el), `<${el.name}> needs a ${attr} attribute`);
    return v;
  };

  const queryBinding = (schema.attrs['queryBinding'] ?? 'xslt').trim().toLowerCase();
  if (!SUPPORTED_BINDINGS.has(queryBinding)) {
    throw schError(where(schema), `queryBinding '${queryBinding}' is not supported (this compiler emits XSLT 2.0: ${[...SUPPORTED_BINDINGS].join(', ')})`);
  }

  const ns: SchemaModel['ns'] = [];
  const lets: Let[] = [];
  const xslt: XmlElement[] = [];
  const phases = new Map<string, XmlElement>();
  const allPatterns: XmlElement[] = [];
  const abstractRules = new Map<string, XmlElement>();
  const toLet = (el: XmlElement): Let => {
    if (el.attrs['value'] === undefined) throw schError(where(el), `<let name="${el.attrs['name'] ?? ''}"> without a value attribute is not supported`);
    return { name: need(el, 'name'), value: el.attrs['value'] };
  };

  for (const c of schema.children) {
    if (c.ns === XSL_NS && (c.name === 'function' || c.name === 'key')) xslt.push(c);
    else if (c.ns !== schema.ns) throw schError(where(c), `element {${c.ns}}${c.name} at schema level is not supported`);
    else if (c.name === 'ns') ns.push({ prefix: need(c, 'prefix'), uri: need(c, 'uri') });
    else if (c.name === 'let') lets.push(toLet(c));
    else if (c.name === 'phase') phases.set(need(c, 'id'), c);
    else if (c.name === 'pattern') allPatterns.push(c);
    else if (c.name === 'rules') {
      for (const r of c.children) if (isSch(r, 'rule') && r.attrs['id'] !== undefined) abstractRules.set(r.attrs['id'], r);
    } else if (!DOCUMENTATION.has(c.name)) throw schError(where(c), `<${c.name}> at schema level is not supported`);
  }

  // Abstract patterns by id; instances take the abstract body with their params.
  const abstractPatterns = new Map<string, XmlElement>();
  for (const p of allPatterns) if (p.attrs['abstract'] === 'true') abstractPatterns.set(need(p, 'id'), p);
  const concrete: XmlElement[] = [];
  for (const p of allPatterns) {
    if (p.attrs['abstract'] === 'true') continue;
    const isA = p.attrs['is-a'];
    if (isA === undefined) {
      concrete.push(p);
      continue;
    }
    const base = abstractPatterns.get(isA);
    if (!base) throw schError(where(p), `pattern is-a '${isA}': no abstract pattern with that id`);
    const params = new Map<string, string>();
    // Names are trimmed: ANAF's UBL-model writes name="Additional_supporting_documents " (a trailing space).
    for (const prm of p.children.filter((x) => isSch(x, 'param'))) params.set(need(prm, 'name').trim(), prm.attrs['value'] ?? '');
    const body = instantiate(base, params, loaded.fileOf);
    // The instance keeps its own identity; the body comes from the abstract pattern.
    const attrs: Record<string, string> = { ...body.attrs, ...p.attrs };
    delete attrs['abstract'];
    delete attrs['is-a'];
    const instance = { ...body, attrs, line: p.line };
    loaded.fileOf.set(instance, loaded.fileOf.get(p) ?? '?');
    concrete.push(instance);
  }
  for (const p of concrete) {
    for (const r of p.children) if (isSch(r, 'rule') && r.attrs['abstract'] === 'true') abstractRules.set(need(r, 'id'), r);
  }

  // Phase: which patterns (by id) are active, and the phase's own lets.
  let phase = options.phase ?? '#DEFAULT';
  if (phase === '#DEFAULT') phase = schema.attrs['defaultPhase'] ?? '#ALL';
  let active: Set<string> | null = null;
  if (phase !== '#ALL') {
    const ph = phases.get(phase);
    if (!ph) throw schError(where(schema), `no phase '${phase}' (phases: ${[...phases.keys()].join(', ') || 'none'})`);
    active = new Set();
    for (const c of ph.children) {
      if (isSch(c, 'active')) active.add(need(c, 'pattern'));
      else if (isSch(c, 'let')) lets.push(toLet(c));
    }
  }

  const patterns: Pattern[] = [];
  for (const p of concrete) {
    if (active && !active.has(p.attrs['id'] ?? '')) continue;
    patterns.push(toPattern(p));
  }
  return {
    ...(schema.children.find((c) => isSch(c, 'title')) ? { title: textOf(schema.children.find((c) => isSch(c, 'title'))!) } : {}),
    ...(schema.attrs['schemaVersion'] !== undefined ? { schemaVersion: schema.attrs['schemaVersion'] } : {}),
    queryBinding,
    phase,
    ns,
    lets,
    patterns,
    xslt,
  };

  function toPattern(p: XmlElement): Pattern {
    if (p.attrs['documents'] !== undefined) throw schError(where(p), 'pattern documents= (validating other documents) is not supported');
    const pattern: Pattern = { lets: [], rules: [] };
    if (p.attrs['id'] !== undefined) pattern.id = p.attrs['id'];
    const title = p.children.find((c) => isSch(c, 'title'));
    if (title) pattern.name = textOf(title);
    for (const c of p.children) {
      if (c.ns !== SCH_NS) throw schError(where(c), `element {${c.ns}}${c.name} in a pattern is not supported`);
      if (c.name === 'let') pattern.lets.push(toLet(c));
      else if (c.name === 'rule') {
        if (c.attrs['abstract'] === 'true') continue;
        pattern.rules.push(toRule(c));
      } else if (c.name !== 'param' && !DOCUMENTATION.has(c.name)) throw schError(where(c), `<${c.name}> in a pattern is not supported`);
    }
    return pattern;
  }

  function toRule(r: XmlElement): Rule {
    if (r.attrs['visit-each'] !== undefined) throw schError(where(r), 'rule visit-each= is not supported');
    const rule: Rule = { context: need(r, 'context'), lets: [], checks: [] };
    for (const k of ['id', 'role', 'subject'] as const) if (r.attrs[k] !== undefined) rule[k] = r.attrs[k];
    addBody(rule, r, r.attrs['flag'], []);
    return rule;
  }

  /** Lets and checks of `el` (a rule or an abstract rule it extends) into `rule`, in document order. */
  function addBody(rule: Rule, el: XmlElement, ruleFlag: string | undefined, chain: string[]): void {
    for (const c of el.children) {
      if (c.ns !== SCH_NS) throw schError(where(c), `element {${c.ns}}${c.name} in a rule is not supported`);
      if (c.name === 'let') rule.lets.push(toLet(c));
      else if (c.name === 'assert' || c.name === 'report') rule.checks.push(toCheck(c, ruleFlag));
      else if (c.name === 'extends') {
        const id = need(c, 'rule');
        const base = abstractRules.get(id);
        if (!base) throw schError(where(c), `extends rule '${id}': no abstract rule with that id`);
        if (chain.includes(id)) throw schError(where(c), `extends cycle through rule '${id}'`);
        addBody(rule, base, ruleFlag ?? base.attrs['flag'], [...chain, id]);
      } else if (!DOCUMENTATION.has(c.name)) throw schError(where(c), `<${c.name}> in a rule is not supported`);
    }
  }

  function toCheck(c: XmlElement, ruleFlag: string | undefined): Check {
    const check: Check = { kind: c.name as 'assert' | 'report', test: need(c, 'test'), message: messageOf(c) };
    for (const k of ['id', 'role', 'subject'] as const) if (c.attrs[k] !== undefined) check[k] = c.attrs[k];
    // A check without its own flag takes the rule's (ISO 2016 lets rules carry one).
    const flag = c.attrs['flag'] ?? ruleFlag;
    if (flag !== undefined) check.flag = flag;
    return check;
  }

  function messageOf(el: XmlElement, out: MessagePart[] = []): MessagePart[] {
    for (const part of el.content ?? []) {
      if (typeof part === 'string') out.push({ text: part });
      else if (isSch(part, 'name')) out.push({ name: part.attrs['path'] ?? '.' });
      else if (isSch(part, 'value-of')) out.push({ valueOf: need(part, 'select') });
      else if (part.ns === el.ns && (part.name === 'emph' || part.name === 'dir' || part.name === 'span')) messageOf(part, out);
      else throw schError(where(part), `<${part.name}> inside a message is not supported`);
    }
    return out;
  }
}

function textOf(el: XmlElement): string {
  return el.text.replace(/\s+/g, ' ').trim();
}
