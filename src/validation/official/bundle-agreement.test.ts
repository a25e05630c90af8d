/**
 * ANAF's Schematron zip, compiled by Efact's own Schematron compiler, must give exactly what the
 * shipped compiled XSLT (EN16931-CIUS_RO-UBL-validation.xslt, phive's ISO-skeleton compilation of
 * the same bundle) gives: the same fired rule ids (with multiplicity), at the same nodes, with the
 * same rendered messages, on every corpus file and on Efact's own cases (src/validation/cases, which
 * reach every RO rule and ANAF's first-rule-wins quirk) — and on every en16931-unit fragment with
 * EFACT_SCH_FRAGMENTS=1 (~730 more inputs, minutes on a loaded machine).
 *
 * Run: npx vitest run src/validation/official/bundle-agreement.test.ts
 * (first run compiles the generated XSLT to SEF: minutes; cached in .cache/validation/ after that)
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadCorpus, loadOwnCases } from '../testing/corpus.js';
import { CachedOfficial } from '../testing/official-cache.js';
import { referenceDir, validationCacheDir } from '../testing/reference.js';
import type { Finding } from '../types.js';
import { resolveOfficialBundle } from './bundle.js';
import { createOfficialValidator } from './official-validator.js';

const REF = referenceDir();
if (REF === null) console.warn('official bundle agreement skipped: ../shared/reference (or EFACT_REFERENCE_DIR) is absent');

/** One finding as compared: id, node (short XPath) and text. */
function key(f: Finding): string {
  return `${f.ruleId}@${f.location}:${f.line} ${f.message}`;
}

describe.skipIf(REF === null)("ANAF's Schematron zip compiled by Efact agrees with the shipped XSLT", () => {
  const cacheDir = validationCacheDir();
  const zip = path.join(REF ?? '', 'cius-ro', 'ro16931-ubl-1.0.9.zip');
  const shippedXslt = path.join(REF ?? '', 'cius-ro', 'EN16931-CIUS_RO-UBL-validation.xslt');

  test('the zip and the unpacked folder compile to the same cached stylesheet', () => {
    const fromZip = resolveOfficialBundle(zip, cacheDir);
    expect(path.basename(fromZip)).toMatch(/^sch-[0-9a-f]{64}\.xslt$/);
    expect(resolveOfficialBundle(path.join(REF!, 'cius-ro', 'ro16931-ubl-1.0.9'), cacheDir)).toBe(fromZip);
    expect(resolveOfficialBundle(path.join(REF!, 'cius-ro', 'ro16931-ubl-1.0.9', 'EN16931-CIUS_RO-UBL-validation.sch'), cacheDir)).toBe(fromZip);
  });

  test('same fired rule ids, locations and messages per corpus file', () => {
    const t0 = performance.now();
    const bundleXslt = resolveOfficialBundle(zip, cacheDir);
    const compiled = createOfficialValidator({ xsltPath: bundleXslt, cacheDir });
    const loadMs = performance.now() - t0;
    const shipped = new CachedOfficial(shippedXslt, cacheDir);
    const withFragments = process.env['EFACT_SCH_FRAGMENTS'] === '1';
    const inputs = [...loadCorpus(REF!).filter((i) => withFragments || i.kind === 'file'), ...loadOwnCases()];

    const differing: string[] = [];
    const rows: string[] = [];
    let compared = 0;
    let bothErrored = 0;
    for (const input of inputs) {
      const official = shipped.run(input.xml);
      let mine: Finding[] | undefined;
      let mineError: string | undefined;
      let ms = 0;
      try {
        const r = compiled.validate(input.xml);
        mine = r.findings;
        ms = r.ms;
      } catch (e) {
        mineError = (e as Error).message;
      }
      if (official.error !== undefined || mineError !== undefined) {
        // A dynamic error (e.g. FORG0001 on ChargeIndicator 'yes') must stop both alike.
        if (official.error !== undefined && mineError !== undefined) bothErrored++;
        else differing.push(`${input.name}: shipped ${official.error ?? 'ran'}, compiled bundle ${mineError ?? 'ran'}`);
        continue;
      }
      compared++;
      const ids = (fs: Finding[]): string[] => fs.map((f) => f.ruleId).sort();
      // The ISO skeleton's location template skips attributes (the SVRL names the attribute's
      // value, e.g. 'EUR'); Efact's compiler names the attribute. Elsewhere the nodes must match.
      const a = official.findings;
      const b = mine!;
      const x = a.filter((f) => f.location.startsWith('/')).map(key).sort();
      const y = b.filter((f) => !/\/@[^/]*$/.test(f.location)).map(key).sort();
      if (ids(a).join(' ') !== ids(b).join(' ')) {
        differing.push(`${input.name}: ids shipped [${ids(a).join(' ')}] compiled [${ids(b).join(' ')}]`);
      } else if (x.join('\n') !== y.join('\n')) {
        differing.push(`${input.name}: nodes/messages differ\n  shipped only: ${x.filter((k) => !y.includes(k)).join('\n    ')}\n  compiled only: ${y.filter((k) => !x.includes(k)).join('\n    ')}`);
      }
      if (input.kind === 'file' && !input.name.startsWith('cases/')) rows.push(`  ${input.name}: ${b.length} findings, ${ms.toFixed(0)} ms (shipped ${official.ms.toFixed(0)} ms${official.cached ? ', as first measured' : ''})`);
    }
    console.log(
      [
        `── compiled ANAF zip vs shipped XSLT ── inputs ${inputs.length}, compared ${compared}, stopped by a dynamic error in both ${bothErrored}, differing ${differing.length}`,
        `stylesheet ready in ${loadMs.toFixed(0)} ms (compile + SEF, or the cache)`,
        ...rows,
        ...differing.map((d) => '  DIFF ' + d),
      ].join('\n'),
    );
    expect(compared).toBeGreaterThan(0);
    expect(differing).toEqual([]);
  }, 1_800_000);
});

// The corpus this test expects is there when the reference is; fail loudly rather than compare nothing.
if (REF !== null) {
  const corpus = path.join(REF, 'corpus');
  if (!statSync(corpus).isDirectory() || readdirSync(corpus).length === 0) throw new Error(`${corpus} is empty`);
}
