/**
 * The validator intake uses: the built-in rules, or, with `validation.officialBundle`, ANAF's own
 * Schematron XSLT (compiled once, the SEF cached under <dataDir>/cache/validation) after the same
 * UBL 2.1 structure check.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EfactConfig } from '../config/types.js';
import type { EngineLogger } from '../engine/context.js';
import { builtInValidator, type InvoiceValidator } from '../engine/intake/local-validation.js';
import { parseInvoiceDocument } from '../validation/model/document.js';
import { checkStructure } from '../validation/structure/check.js';

export function validationCacheDir(dataDir: string): string {
  return path.join(dataDir, 'cache', 'validation');
}

export async function invoiceValidatorFor(config: Pick<EfactConfig, 'validation' | 'dataDir'>, log?: EngineLogger): Promise<InvoiceValidator> {
  const bundle = config.validation.officialBundle;
  if (bundle === undefined) return builtInValidator;
  return officialValidator(bundle, validationCacheDir(config.dataDir), log);
}

/** saxon-js is loaded only when the official path is asked for. */
export async function officialValidator(bundle: string, cacheDir: string, log?: EngineLogger): Promise<InvoiceValidator> {
  const { resolveOfficialBundle } = await import('../validation/official/bundle.js');
  const { createOfficialValidator } = await import('../validation/official/official-validator.js');
  const xsltPath = resolveOfficialBundle(bundle, cacheDir);
  log?.info({ bundle, xsltPath }, 'validating with the official ANAF bundle (first use compiles it, up to a few minutes)');
  const official = createOfficialValidator({ xsltPath, cacheDir });
  return withStructure((xml, maxBytes) => official.validate(xml, { maxBytes }));
}

/**
 * ANAF checks the UBL 2.1 schema before its Schematron, and the official bundle holds only the
 * Schematron: the official path gets the same structure check (UBL-XSD-*) as the built-in one, first.
 */
export function withStructure(validate: InvoiceValidator): InvoiceValidator {
  return (xml, maxBytes) => {
    const r = validate(xml, maxBytes);
    const t0 = performance.now();
    const structure = checkStructure(parseInvoiceDocument(xml, { maxBytes }));
    if (structure.length === 0) return { ...r, ms: r.ms + performance.now() - t0 };
    return { findings: structure.concat(r.findings), valid: false, ms: r.ms + performance.now() - t0 };
  };
}
