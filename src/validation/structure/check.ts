/**
 * UBL 2.1 structure check of Invoice and CreditNote, as the OASIS schemas (xsdrt) define it:
 * root element, children in sequence order, occurrences, no unknown elements, element-only vs
 * simple content, leaf values (decimal, date, time, indicator, base64) and attributes (required,
 * allowed). One pass over the parsed document, one Map lookup per element; ext:ExtensionContent
 * (xsd:any) is not looked into.
 *
 * ANAF refuses XML that is not schema-valid, so every finding is fatal. Rule ids: UBL-XSD-*.
 */
import { locationOf, lineOf, type InvoiceDocument, type XElement } from '../model/document.js';
import type { Finding } from '../types.js';
import { structureModel, type ElementDecl, type SequenceType, type StructureModel } from './model.js';
import { EXPECTED_VALUE, validValue } from './values.js';

/** The structure findings' rule ids. */
export const STRUCTURE_RULES = {
  ROOT: 'UBL-XSD-ROOT',
  UNKNOWN: 'UBL-XSD-UNKNOWN',
  ORDER: 'UBL-XSD-ORDER',
  MISSING: 'UBL-XSD-MISSING',
  TOO_MANY: 'UBL-XSD-TOO-MANY',
  CONTENT: 'UBL-XSD-CONTENT',
  VALUE: 'UBL-XSD-VALUE',
  ATTRIBUTE_MISSING: 'UBL-XSD-ATTR-MISSING',
  ATTRIBUTE_UNKNOWN: 'UBL-XSD-ATTR-UNKNOWN',
} as const;

export const STRUCTURE_RULE_PREFIX = 'UBL-XSD-';

export function isStructureFinding(f: Pick<Finding, 'ruleId'>): boolean {
  return f.ruleId.startsWith(STRUCTURE_RULE_PREFIX);
}

/** xsi attributes are allowed on any element (the model keeps attributes by local name only). */
const XSI_ATTRIBUTES = new Set(['schemaLocation', 'noNamespaceSchemaLocation', 'type', 'nil']);

const SCHEMA = 'UBL 2.1';

/** Element name as the model writes it, the roots without prefix ('Invoice'). */
function shown(decl: ElementDecl): string {
  return decl.name.startsWith('ubl:') || decl.name.startsWith('cn:') ? decl.name.slice(decl.name.indexOf(':') + 1) : decl.name;
}

function hasNonWhitespace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
  }
  return false;
}

function quoted(value: string): string {
  const v = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return `'${v}'`;
}

/** Checks the document against the UBL 2.1 Invoice/CreditNote schema structure. */
export function checkStructure(doc: InvoiceDocument, model: StructureModel = structureModel()): Finding[] {
  const out: Finding[] = [];
  const report = (ruleId: string, el: XElement, text: string): void => {
    out.push({ ruleId, severity: 'fatal', message: `[${ruleId}]-${text}`, location: locationOf(el), line: lineOf(el) });
  };

  const rootDecl = model.roots.get(doc.root.clark);
  if (rootDecl === undefined) {
    report(
      STRUCTURE_RULES.ROOT,
      doc.root,
      `The root element must be a ${SCHEMA} Invoice or CreditNote; found ${doc.root.local}${doc.root.ns === '' ? ' without a namespace' : ` in namespace ${doc.root.ns}`}.`,
    );
    return out;
  }

  // Depth-first in document order: an element's own findings (including missing children) come
  // before those of its children.
  const stackEl: XElement[] = [doc.root];
  const stackDecl: ElementDecl[] = [rootDecl];
  const kids: XElement[] = [];
  const kidDecls: ElementDecl[] = [];
  while (stackEl.length > 0) {
    const el = stackEl.pop()!;
    const decl = stackDecl.pop()!;
    const type = decl.type;
    if (type.kind === 'open') continue;

    // Attributes: required ones present, no others (leaves declare theirs; aggregates have none).
    for (const a of el.attrs) {
      if (type.kind === 'leaf' && type.attributes.has(a.local)) continue;
      if (XSI_ATTRIBUTES.has(a.local)) continue;
      report(
        STRUCTURE_RULES.ATTRIBUTE_UNKNOWN,
        el,
        type.kind === 'leaf'
          ? `${shown(decl)} does not allow the attribute ${a.local} (${SCHEMA} ${type.name} allows ${[...type.attributes].join(', ') || 'none'}).`
          : `${shown(decl)} does not allow the attribute ${a.local} (${SCHEMA} aggregates take no attributes).`,
      );
    }

    if (type.kind === 'leaf') {
      for (const r of type.required) {
        if (!el.attrs.some((a) => a.local === r)) report(STRUCTURE_RULES.ATTRIBUTE_MISSING, el, `${shown(decl)} lacks the required attribute ${r} (${SCHEMA} ${type.name}).`);
      }
      if (el.children.length > 0) {
        report(STRUCTURE_RULES.CONTENT, el, `${shown(decl)} holds a value only (${SCHEMA} ${type.name}); it may not contain the element ${el.children[0]!.prefix ? el.children[0]!.prefix + ':' : ''}${el.children[0]!.local}.`);
      } else if (!validValue(type.value, el.text)) {
        report(STRUCTURE_RULES.VALUE, el, `${shown(decl)} has the value ${quoted(el.text)}, not ${EXPECTED_VALUE[type.value]} (${SCHEMA} ${type.name}, ${type.value}).`);
      }
      continue;
    }

    if (hasNonWhitespace(el.text)) {
      report(STRUCTURE_RULES.CONTENT, el, `${shown(decl)} contains elements only (${SCHEMA} ${type.name}); it may not contain the text ${quoted(el.text.trim())}.`);
    }
    kids.length = 0;
    kidDecls.length = 0;
    checkSequence(el, decl, type, report, kids, kidDecls);
    for (let i = kids.length - 1; i >= 0; i--) {
      stackEl.push(kids[i]!);
      stackDecl.push(kidDecls[i]!);
    }
  }
  // A parent reports extra children before their own content is checked: put lines in order
  // (stable, so one element's findings keep their order).
  return out.length > 1 ? out.sort((a, b) => a.line - b.line) : out;
}

/**
 * The children of `el` against its flat sequence: a cursor moves forward over the particles;
 * a child before the cursor is out of order, one after it skips particles (missing if required),
 * one at it counts towards maxOccurs. Known children (in order or not) are queued for checking.
 */
function checkSequence(
  el: XElement,
  decl: ElementDecl,
  type: SequenceType,
  report: (ruleId: string, el: XElement, text: string) => void,
  kids: XElement[],
  kidDecls: ElementDecl[],
): void {
  const particles = type.particles;
  const parent = shown(decl);
  let pos = 0;
  let count = 0;
  const missingUpTo = (end: number, before: string): void => {
    // Particles pos..end-1 are left behind: the current one needs `min` occurrences, the skipped ones too.
    for (let k = pos; k < end; k++) {
      const p = particles[k]!;
      const have = k === pos ? count : 0;
      if (have < p.min) {
        report(STRUCTURE_RULES.MISSING, el, `${parent} lacks the required element ${p.name}${p.min > 1 ? ` (at least ${p.min})` : ''}, expected ${before} (${SCHEMA} ${type.name}).`);
      }
    }
  };
  for (const child of el.children) {
    let i = type.positionByLocal.get(child.local);
    if (i === -1) i = type.position.get(child.clark);
    else if (i !== undefined && particles[i]!.ns !== child.ns) i = undefined;
    if (i === undefined) {
      const hint = type.byLocal.get(child.local);
      const name = child.prefix ? `${child.prefix}:${child.local}` : child.local;
      report(
        STRUCTURE_RULES.UNKNOWN,
        child,
        hint !== undefined
          ? `${name} (namespace ${child.ns || 'none'}) is not an element of ${parent}; ${SCHEMA} has ${hint} there (${type.name}).`
          : `${name} is not an element of ${parent} (${SCHEMA} ${type.name}).`,
      );
      continue;
    }
    const p = particles[i]!;
    if (i === pos) {
      count++;
      if (count === p.max + 1) {
        report(STRUCTURE_RULES.TOO_MANY, child, `${parent} may contain ${p.name} at most ${p.max === 1 ? 'once' : `${p.max} times`} (${SCHEMA} ${type.name}).`);
      }
    } else if (i > pos) {
      missingUpTo(i, `before ${p.name}`);
      pos = i;
      count = 1;
    } else {
      report(STRUCTURE_RULES.ORDER, child, `${p.name} is out of order in ${parent}: it must come before ${particles[pos]!.name} (${SCHEMA} ${type.name} sequence).`);
    }
    kids.push(child);
    kidDecls.push(p.decl);
  }
  missingUpTo(particles.length, pos === 0 && count === 0 ? 'as its content' : `after ${particles[pos]!.name}`);
}
