/**
 * ROmodel rule contexts used by more than one CIUS-RO module (the root and cac:LegalMonetaryTotal
 * are in ../contexts.ts). Priorities from EN16931-CIUS_RO-UBL-validation.xslt, mode M15.
 */
import { pattern } from '../../context-pattern.js';
import type { XNode } from '../../model/document.js';
import type { Context } from '../contexts.js';
import { chargeIndicatorIs } from './xpath.js';

const isAllowance = (n: XNode): boolean => chargeIndicatorIs(n, false);
const isCharge = (n: XNode): boolean => chargeIndicatorIs(n, true);

const DOC_ALLOWANCE =
  '/ubl:Invoice/cac:AllowanceCharge[cbc:ChargeIndicator = false()] | /ubl:CreditNote/cac:AllowanceCharge[cbc:ChargeIndicator = false()]';
const DOC_CHARGE =
  '/ubl:Invoice/cac:AllowanceCharge[cbc:ChargeIndicator = true()] | /ubl:CreditNote/cac:AllowanceCharge[cbc:ChargeIndicator = true()]';
const LINE_ALLOWANCE =
  '//cac:InvoiceLine/cac:AllowanceCharge[cbc:ChargeIndicator = false()] | //cac:CreditNoteLine/cac:AllowanceCharge[cbc:ChargeIndicator = false()]';
const LINE_CHARGE =
  '//cac:InvoiceLine/cac:AllowanceCharge[cbc:ChargeIndicator = true()] | //cac:CreditNoteLine/cac:AllowanceCharge[cbc:ChargeIndicator = true()]';

/** Document level allowance (BG-20): BR-DEC-RO-01/02, BR-RO-L1017. `/ubl:CreditNote` never matches (ubl is the Invoice namespace). */
export const RO_DOCUMENT_ALLOWANCE: Context = {
  pattern: 'ROmodel',
  priority: 1011,
  context: DOC_ALLOWANCE,
  match: pattern('/ubl:Invoice/cac:AllowanceCharge | /ubl:CreditNote/cac:AllowanceCharge', isAllowance),
};
/** Document level charge (BG-21): BR-DEC-RO-05/06, BR-RO-L1018. */
export const RO_DOCUMENT_CHARGE: Context = {
  pattern: 'ROmodel',
  priority: 1010,
  context: DOC_CHARGE,
  match: pattern('/ubl:Invoice/cac:AllowanceCharge | /ubl:CreditNote/cac:AllowanceCharge', isCharge),
};
/** Line allowance (BG-27): BR-DEC-RO-24/25, BR-RO-L1022. */
export const RO_LINE_ALLOWANCE: Context = {
  pattern: 'ROmodel',
  priority: 1005,
  context: LINE_ALLOWANCE,
  match: pattern('//cac:InvoiceLine/cac:AllowanceCharge | //cac:CreditNoteLine/cac:AllowanceCharge', isAllowance),
};
/** Line charge (BG-28): BR-DEC-RO-27/28, BR-RO-L1023. */
export const RO_LINE_CHARGE: Context = {
  pattern: 'ROmodel',
  priority: 1004,
  context: LINE_CHARGE,
  match: pattern('//cac:InvoiceLine/cac:AllowanceCharge | //cac:CreditNoteLine/cac:AllowanceCharge', isCharge),
};
/** Invoice line, first of the two rules with this context (lengths); the second (1006) never wins. */
export const RO_LINE: Context = {
  pattern: 'ROmodel',
  priority: 1013,
  context: 'cac:InvoiceLine | cac:CreditNoteLine',
  match: pattern('cac:InvoiceLine | cac:CreditNoteLine'),
};
