/**
 * Intake's use of the local validator: which validator (built-in rules or ANAF's official XSLT),
 * what a company's setting does with the findings, and how findings are kept on the invoice
 * (as messages with source 'local', shown like ANAF's NOK messages).
 */
import type { PlatformMessage } from '../../domain/invoice.js';
import type { Finding } from '../../validation/types.js';
import { validateInvoice, type ValidationResult } from '../../validation/run.js';

/**
 * - block (default): a fatal finding stores the invoice `invalid` (never uploaded); warnings are
 *   kept with it and it is sent;
 * - warn: findings are kept, nothing is blocked (ANAF decides);
 * - off: not validated.
 */
export const VALIDATION_MODES = ['block', 'warn', 'off'] as const;
export type ValidationMode = (typeof VALIDATION_MODES)[number];

/** Validates one invoice's bytes; throws EfactError for input that is not safe, well-formed XML. */
export type InvoiceValidator = (xml: Uint8Array, maxBytes: number) => ValidationResult;

export const builtInValidator: InvoiceValidator = (xml, maxBytes) => validateInvoice(xml, { maxBytes });

export interface IntakeValidation {
  validate: InvoiceValidator;
  /** The company's setting, by CIF (digits). */
  modeOf: (cif: string) => ValidationMode;
}

/** What intake does with an invoice after validation. */
export interface ValidationVerdict {
  rejected: boolean;
  messages: PlatformMessage[];
}

export function verdictOf(result: ValidationResult, mode: ValidationMode): ValidationVerdict {
  return {
    rejected: mode === 'block' && !result.valid,
    messages: findingsToMessages(result.findings),
  };
}

export function findingsToMessages(findings: readonly Finding[]): PlatformMessage[] {
  return findings.map((f) => ({
    text: f.message,
    source: 'local',
    ruleId: f.ruleId,
    severity: f.severity,
    location: f.location,
    line: f.line,
  }));
}
