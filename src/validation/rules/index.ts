/**
 * The built-in rule set: every rule module, by family. Adding a module = one import and one
 * entry below. Order here does not matter (priorities decide), but keep families together.
 */
import type { RuleDef } from '../types.js';
import { buildRuleSet, type RuleSet } from '../registry.js';
import modelDocument from './en16931-model/document.js';
import modelTotals from './en16931-model/totals.js';
import syntaxRestrictions from './en16931-syntax/restrictions.js';
import codelistDocument from './codelists/document-codes.js';
// en16931 model + code lists (issue 5, valid-en)
import codelistCodes from './codelists/codes.js';
import modelVatDocument from './en16931-model/vat-document.js';
import modelVatCategories from './en16931-model/vat-categories.js';
import modelLines from './en16931-model/lines.js';
import modelPartiesPayment from './en16931-model/parties-payment.js';
import modelVatBreakdown from './en16931-model/vat-breakdown.js';
// end en16931
// CIUS-RO and UBL syntax (one block)
import roDocument from './cius-ro/document.js';
import roDecimals from './cius-ro/decimals.js';
import roDates from './cius-ro/dates.js';
import roCodes from './cius-ro/codes.js';
import roParties from './cius-ro/parties.js';
import roReferences from './cius-ro/references.js';
import roLines from './cius-ro/lines.js';
import syntaxCardinality from './en16931-syntax/cardinality.js';
import syntaxDataTypes from './en16931-syntax/data-types.js';

export const RULE_MODULES: Record<string, readonly RuleDef[]> = {
  'en16931-model/document': modelDocument,
  'en16931-model/totals': modelTotals,
  'en16931-syntax/restrictions': syntaxRestrictions,
  'codelists/document-codes': codelistDocument,
  // en16931 model + code lists (issue 5, valid-en)
  'codelists/codes': codelistCodes,
  'en16931-model/vat-document': modelVatDocument,
  'en16931-model/vat-categories': modelVatCategories,
  'en16931-model/lines': modelLines,
  'en16931-model/parties-payment': modelPartiesPayment,
  'en16931-model/vat-breakdown': modelVatBreakdown,
  // end en16931
  // CIUS-RO and UBL syntax (one block)
  'cius-ro/document': roDocument,
  'cius-ro/decimals': roDecimals,
  'cius-ro/dates': roDates,
  'cius-ro/codes': roCodes,
  'cius-ro/parties': roParties,
  'cius-ro/references': roReferences,
  'cius-ro/lines': roLines,
  'en16931-syntax/cardinality': syntaxCardinality,
  'en16931-syntax/data-types': syntaxDataTypes,
};

let cached: RuleSet | null = null;

/** The compiled built-in rule set (built once per process). */
export function builtInRules(): RuleSet {
  cached ??= buildRuleSet(Object.values(RULE_MODULES).flat());
  return cached;
}
