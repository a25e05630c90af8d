import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { resolveOfficialBundle } from './bundle.js';
import { referenceDir } from '../testing/reference.js';

const REF = referenceDir();
if (REF === null) console.warn('official bundle tests skipped: ../shared/reference (or EFACT_REFERENCE_DIR) is absent');

describe('official bundle resolution without the reference', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'efact-bundle-sch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const SCH = '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2"><pattern><rule context="a"><assert test="b" id="X">x</assert></rule></pattern></schema>';

  test('a folder with one top-level schema compiles it; several, or none, are a clear error', () => {
    mkdirSync(path.join(dir, 'one', 'lib'), { recursive: true });
    writeFileSync(path.join(dir, 'one', 'main.sch'), SCH);
    writeFileSync(path.join(dir, 'one', 'lib', 'other.sch'), SCH);
    expect(readFileSync(resolveOfficialBundle(path.join(dir, 'one'), dir), 'utf8')).toContain('id="X"');
    mkdirSync(path.join(dir, 'two'));
    writeFileSync(path.join(dir, 'two', 'a.sch'), SCH);
    writeFileSync(path.join(dir, 'two', 'b.sch'), SCH);
    expect(() => resolveOfficialBundle(path.join(dir, 'two'), dir)).toThrow(/several Schematron schemas \(a.sch, b.sch\)/);
    mkdirSync(path.join(dir, 'none'));
    writeFileSync(path.join(dir, 'none', 'p.sch'), '<pattern xmlns="http://purl.oclc.org/dsdl/schematron"/>');
    expect(() => resolveOfficialBundle(path.join(dir, 'none'), dir)).toThrow(/no Schematron XSLT and no Schematron schema/);
  });

  test('a broken schema names the file and line', () => {
    mkdirSync(path.join(dir, 'bad'));
    writeFileSync(path.join(dir, 'bad', 'main.sch'), '<schema xmlns="http://purl.oclc.org/dsdl/schematron">\n<include href="gone.sch"/></schema>');
    expect(() => resolveOfficialBundle(path.join(dir, 'bad', 'main.sch'), dir)).toThrow(/official bundle .*main.sch: Schematron main.sch:2: cannot find 'gone.sch'/);
  });
});

describe.skipIf(REF === null)('official bundle resolution', () => {
  const cache = mkdtempSync(path.join(tmpdir(), 'efact-bundle-'));
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  test('a folder with the compiled XSLT: the combined EN+RO stylesheet is chosen', () => {
    expect(path.basename(resolveOfficialBundle(path.join(REF!, 'cius-ro'), cache))).toBe('EN16931-CIUS_RO-UBL-validation.xslt');
  });

  test("ANAF's zip holds Schematron sources only: they are compiled to an SVRL stylesheet, cached by content hash", () => {
    const out = resolveOfficialBundle(path.join(REF!, 'cius-ro', 'ro16931-ubl-1.0.9.zip'), cache);
    expect(path.basename(out)).toMatch(/^sch-[0-9a-f]{64}\.xslt$/);
    const xslt = readFileSync(out, 'utf8');
    expect(xslt).toContain('http://purl.oclc.org/dsdl/svrl');
    expect(xslt.match(/<xsl:if /g)).toHaveLength(1098);
    const again = statSync(out).mtimeMs;
    expect(resolveOfficialBundle(path.join(REF!, 'cius-ro', 'ro16931-ubl-1.0.9.zip'), cache)).toBe(out);
    expect(statSync(out).mtimeMs).toBe(again);
  });

  test('an .xslt path is used as it is; a missing path is refused', () => {
    const x = path.join(REF!, 'cius-ro', 'EN16931-CIUS_RO-UBL-validation.xslt');
    expect(resolveOfficialBundle(x, cache)).toBe(x);
    expect(() => resolveOfficialBundle(path.join(cache, 'nope.zip'), cache)).toThrow(/does not exist/);
  });
});
