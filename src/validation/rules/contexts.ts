/**
 * Rule contexts shared by several rule modules. A Schematron rule is identified by its pattern and
 * its priority in the compiled official XSLT; modules that add asserts to the same rule spread the
 * same context object, and the registry merges them (first-rule-wins stays exact).
 * Priorities: EN16931-CIUS_RO-UBL-validation.xslt, `mode="M12|M13|M14|M15" priority="…"`.
 */
import { pattern } from '../context-pattern.js';
import type { RuleDef } from '../types.js';

export type Context = Omit<RuleDef, 'asserts'>;

const ROOT = '/ubl:Invoice | /cn:CreditNote';

/** UBL-model (EN 16931 business rules), the document root: BR-01…BR-16, BR-CO-15, BR-S/Z/E…-01… */
export const MODEL_ROOT: Context = { pattern: 'UBL-model', priority: 1057, context: ROOT, match: pattern(ROOT) };
/** UBL-model, cac:LegalMonetaryTotal: BR-12…BR-15, BR-CO-10…13/16, BR-DEC-09…18. */
export const MODEL_LEGAL_MONETARY_TOTAL: Context = {
  pattern: 'UBL-model',
  priority: 1058,
  context: 'cac:LegalMonetaryTotal',
  match: pattern('cac:LegalMonetaryTotal'),
};
/** UBL-syntax (UBL-CR/SR/DT), the document root. */
export const SYNTAX_ROOT: Context = { pattern: 'UBL-syntax', priority: 1006, context: ROOT, match: pattern(ROOT) };
/** ROmodel (CIUS-RO), the document root: BR-RO-001, BR-RO-A020, BR-RO-L0201… */
export const RO_ROOT: Context = { pattern: 'ROmodel', priority: 1018, context: ROOT, match: pattern(ROOT) };
/** ROmodel, cac:LegalMonetaryTotal: BR-DEC-RO-09…18. */
export const RO_LEGAL_MONETARY_TOTAL: Context = {
  pattern: 'ROmodel',
  priority: 1009,
  context: 'cac:LegalMonetaryTotal',
  match: pattern('cac:LegalMonetaryTotal'),
};
