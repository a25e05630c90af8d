/**
 * XSLT match patterns for Schematron rule contexts, reduced to what ANAF's rules use:
 * unions, '/' and '//' steps, absolute or relative, element names 'prefix:local' or '*',
 * a final '@name' step, and predicates supplied as functions of the matched node.
 *
 *   pattern('cac:InvoiceLine | cac:CreditNoteLine')
 *   pattern('/ubl:Invoice/cac:AllowanceCharge | /cn:CreditNote/cac:AllowanceCharge', isAllowance)
 *   pattern('//@currencyID')
 *
 * A predicate that sits on an inner step of the .sch context is written as a function that
 * looks up from the matched node (node.parent…).
 */
import type { XElement, XNode } from './model/document.js';
import { toClark } from './model/namespaces.js';

interface Step {
  /** Clark name, '*' for any element, '@local' for an attribute. */
  name: string;
  /** Separator before this step: '/' child, '//' descendant; for the first step: '/' absolute (parent is the document), '//' anywhere, '' relative. */
  sep: '/' | '//' | '';
}

export interface ContextPattern {
  /** One alternative per union branch. */
  readonly branches: Step[][];
  readonly where?: (node: XNode) => boolean;
  /** Dispatch keys: the last step of each branch ('*' means any element). */
  readonly keys: string[];
}

export function pattern(text: string, where?: (node: XNode) => boolean): ContextPattern {
  const branches = text.split('|').map((b) => parseBranch(b.trim(), text));
  const keys = [...new Set(branches.map((b) => b[b.length - 1]!.name))];
  return where ? { branches, where, keys } : { branches, keys };
}

function parseBranch(b: string, whole: string): Step[] {
  if (b.includes('[')) throw new Error(`context '${whole}': write predicates as a function, not in the pattern`);
  const steps: Step[] = [];
  let rest = b;
  let sep: Step['sep'] = '';
  if (rest.startsWith('//')) {
    sep = '//';
    rest = rest.slice(2);
  } else if (rest.startsWith('/')) {
    sep = '/';
    rest = rest.slice(1);
  }
  const parts = rest.split('/');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '') {
      // an empty part is the middle of '//'
      sep = '//';
      continue;
    }
    const name = p === '*' ? '*' : p.startsWith('@') ? p : toClark(p);
    steps.push({ name, sep });
    sep = '/';
  }
  if (steps.length === 0) throw new Error(`context '${whole}': empty branch`);
  return steps;
}

function nameMatches(step: Step, node: XNode): boolean {
  if (step.name.startsWith('@')) return node.kind === 'attribute' && node.ns === '' && node.local === step.name.slice(1);
  if (node.kind !== 'element') return false;
  return step.name === '*' || step.name === node.clark;
}

/** Does `node` match steps[0..i] with steps[i] on node? */
function matchFrom(steps: Step[], i: number, node: XNode): boolean {
  if (!nameMatches(steps[i]!, node)) return false;
  const parent: XElement | null = node.kind === 'attribute' ? node.parent : node.parent;
  const sep = steps[i]!.sep;
  if (i === 0) {
    if (sep === '/') return parent === null && node.kind === 'element';
    return true;
  }
  if (sep === '/') return parent !== null && matchFrom(steps, i - 1, parent);
  for (let a = parent; a !== null; a = a.parent) if (matchFrom(steps, i - 1, a)) return true;
  return false;
}

export function matches(p: ContextPattern, node: XNode): boolean {
  let any = false;
  for (const b of p.branches) {
    if (matchFrom(b, b.length - 1, node)) {
      any = true;
      break;
    }
  }
  return any && (p.where === undefined || p.where(node));
}
