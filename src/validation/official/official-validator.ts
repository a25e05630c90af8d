/**
 * The official path: ANAF's Schematron, compiled to XSLT, run by saxon-js, its SVRL read into the
 * same Findings the built-in rules produce. Slow (hundreds of ms per invoice) but exactly ANAF's
 * verdict, so it is the reference the built-in rules are tested against and the way to apply a
 * new ANAF rule release on the day it appears.
 */
import { performance } from 'node:perf_hooks';
import { parseInvoiceDocument } from '../model/document.js';
import type { ParseOptions } from '../../xml/parse.js';
import type { ValidationResult } from '../run.js';
import { loadStylesheet, type CompiledStylesheet } from './saxon.js';
import { svrlToFindings } from './svrl.js';

export interface OfficialValidatorOptions {
  /** The compiled Schematron (XSLT 2.0 producing SVRL), e.g. EN16931-CIUS_RO-UBL-validation.xslt. */
  xsltPath: string;
  /** Where the compiled SEF is cached (keyed by the XSLT's SHA-256). */
  cacheDir: string;
}

export interface OfficialValidator {
  /** SHA-256 of the stylesheet in use. */
  readonly stylesheetHash: string;
  validate(input: Uint8Array | string, options?: ParseOptions): ValidationResult;
}

export function createOfficialValidator(options: OfficialValidatorOptions): OfficialValidator {
  const sheet: CompiledStylesheet = loadStylesheet(options.xsltPath, options.cacheDir);
  return {
    stylesheetHash: sheet.hash,
    validate(input, parseOptions = {}) {
      const t0 = performance.now();
      // Our safe parser first: saxon-js's own parser is not the place to meet DOCTYPEs or huge inputs.
      const doc = parseInvoiceDocument(input, parseOptions);
      const text = typeof input === 'string' ? input : new TextDecoder().decode(input).replace(/^\uFEFF/, '');
      const svrl = sheet.transform(text);
      const findings = svrlToFindings(svrl, doc);
      return { findings, valid: !findings.some((f) => f.severity === 'fatal'), ms: performance.now() - t0 };
    },
  };
}
