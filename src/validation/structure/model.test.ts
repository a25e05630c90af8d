/**
 * The committed structure model is what the generator makes of the UBL 2.1 xsdrt in
 * ../shared/reference (skipped, with the reason, where the reference is absent).
 * EFACT_WRITE_UBL_MODEL=1 rewrites the committed file instead of comparing (regeneration
 * without a build: `EFACT_WRITE_UBL_MODEL=1 npx vitest run src/validation/structure/model.test.ts`).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { referenceDir } from '../testing/reference.js';
import { generateModel, renderModel } from './generate.js';
import { decodeModel, structureModel } from './model.js';
import { UBL_21_STRUCTURE } from './ubl-model.generated.js';

const REF = referenceDir();
const XSDRT = REF === null ? null : path.join(REF, 'ubl-2.1', 'xsdrt');
const hasXsd = XSDRT !== null && existsSync(path.join(XSDRT, 'maindoc', 'UBL-Invoice-2.1.xsd'));
if (!hasXsd) console.warn('structure model test skipped: ../shared/reference/ubl-2.1/xsdrt (or EFACT_REFERENCE_DIR) is absent');
const FILE = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'ubl-model.generated.ts');

describe('UBL 2.1 structure model', () => {
  test.skipIf(!hasXsd)('the committed model is what the generator makes of the reference xsdrt', () => {
    const text = renderModel(generateModel(XSDRT!));
    if (process.env['EFACT_WRITE_UBL_MODEL'] === '1') writeFileSync(FILE, text);
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });

  test('decodes: Invoice and CreditNote roots, ordered particles with occurrences, leaf types with required attributes', () => {
    const m = structureModel();
    expect([...m.roots.values()].map((r) => r.name).sort()).toEqual(['cn:CreditNote', 'ubl:Invoice']);
    const invoice = [...m.roots.values()].find((r) => r.name === 'ubl:Invoice')!;
    expect(invoice.type.kind).toBe('sequence');
    if (invoice.type.kind !== 'sequence') return;
    const names = invoice.type.particles.map((p) => p.name);
    expect(names.indexOf('cbc:ID')).toBeLessThan(names.indexOf('cbc:IssueDate'));
    expect(invoice.type.particles.find((p) => p.name === 'cbc:ID')).toMatchObject({ min: 1, max: 1 });
    expect(invoice.type.particles.find((p) => p.name === 'cac:InvoiceLine')).toMatchObject({ min: 1, max: Infinity });
    const amount = [...m.elements.values()].find((e) => e.name === 'cbc:PayableAmount')!.type;
    expect(amount).toMatchObject({ kind: 'leaf', name: 'udt:AmountType', value: 'xsd:decimal', required: ['currencyID'] });
    const ext = [...m.elements.values()].find((e) => e.name === 'ext:ExtensionContent')!.type;
    expect(ext.kind).toBe('open');
  });

  test('the decoder reads every occurrence form', () => {
    const m = decodeModel({
      roots: { 'ubl:Invoice': 'ubl:T' },
      openTypes: [],
      leafTypes: { 'udt:TextType': { value: 'xsd:string', attributes: 'languageID' } },
      sequences: { 'ubl:T': 'cbc:A cbc:B? cbc:C* cbc:D+ cbc:E{2,3} cbc:F{2,}' },
      elements: { 'ubl:Invoice': 'ubl:T', 'cbc:A': 'udt:TextType', 'cbc:B': 'udt:TextType', 'cbc:C': 'udt:TextType', 'cbc:D': 'udt:TextType', 'cbc:E': 'udt:TextType', 'cbc:F': 'udt:TextType' },
    });
    const t = [...m.roots.values()][0]!.type;
    if (t.kind !== 'sequence') throw new Error('not a sequence');
    expect(t.particles.map((p) => [p.min, p.max])).toEqual([[1, 1], [0, 1], [0, Infinity], [1, Infinity], [2, 3], [2, Infinity]]);
  });

  test('the data is the UBL 2.1 one', () => {
    expect(Object.keys(UBL_21_STRUCTURE.roots).sort()).toEqual(['cn:CreditNote', 'ubl:Invoice']);
  });
});
