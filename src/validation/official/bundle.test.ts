import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { resolveOfficialBundle } from './bundle.js';
import { referenceDir } from '../testing/reference.js';

const REF = referenceDir();
if (REF === null) console.warn('official bundle tests skipped: ../shared/reference (or EFACT_REFERENCE_DIR) is absent');

describe.skipIf(REF === null)('official bundle resolution', () => {
  const cache = mkdtempSync(path.join(tmpdir(), 'efact-bundle-'));
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  test('a folder with the compiled XSLT: the combined EN+RO stylesheet is chosen', () => {
    expect(path.basename(resolveOfficialBundle(path.join(REF!, 'cius-ro'), cache))).toBe('EN16931-CIUS_RO-UBL-validation.xslt');
  });

  test("ANAF's zip and folder hold Schematron sources only: a clear error says what is needed", () => {
    expect(() => resolveOfficialBundle(path.join(REF!, 'cius-ro', 'ro16931-ubl-1.0.9.zip'), cache)).toThrow(/Schematron sources only/);
    expect(() => resolveOfficialBundle(path.join(REF!, 'cius-ro', 'ro16931-ubl-1.0.9'), cache)).toThrow(/Schematron sources only/);
  });

  test('an .xslt path is used as it is; a missing path is refused', () => {
    const x = path.join(REF!, 'cius-ro', 'EN16931-CIUS_RO-UBL-validation.xslt');
    expect(resolveOfficialBundle(x, cache)).toBe(x);
    expect(() => resolveOfficialBundle(path.join(cache, 'nope.zip'), cache)).toThrow(/does not exist/);
  });
});
