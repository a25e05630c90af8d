/**
 * The agreement corpus: every file under corpus/ (except the unit tests) and every <test>
 * fragment of corpus/en16931-unit, each with the unit test's expectation where there is one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface CorpusInput {
  /** corpus-relative name; fragments as 'en16931-unit/BR-01.xml#2'. */
  name: string;
  kind: 'file' | 'fragment';
  xml: string;
  /** What must hold: unit tests' <success>/<error>, or our cases' `<!-- expect: error BR-RO-001 -->` comments. */
  expects: Expectation[];
}

export interface Expectation {
  outcome: 'success' | 'error';
  ruleId: string;
}

/** Efact's own cases (committed): src/validation/cases/<family>/*.xml, each with expect comments. */
export const OWN_CASES_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'cases');

export function loadOwnCases(dir: string = OWN_CASES_DIR): CorpusInput[] {
  let files: string[];
  try {
    files = walk(dir);
  } catch {
    return [];
  }
  return files.map((file) => {
    const xml = readFileSync(file, 'utf8');
    const expects = [...xml.matchAll(/<!--\s*expect:\s*(success|error)\s+([^\s]+)\s*-->/g)].map((m) => ({
      outcome: m[1] as 'success' | 'error',
      ruleId: m[2]!,
    }));
    return { name: `cases/${path.relative(dir, file)}`, kind: 'file' as const, xml, expects };
  });
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.xml')) out.push(p);
  }
  return out;
}

const UBL_DECLS: Record<string, string> = {
  'xmlns:cac': 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  'xmlns:cbc': 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

/** A fragment as a standalone document, with the UBL namespace declarations it relies on. */
export function wrapFragment(fragment: string, root: 'Invoice' | 'CreditNote'): string {
  const m = /^<[A-Za-z]+\b([^>]*)>/.exec(fragment);
  if (!m) return fragment;
  let attrs = m[1]!;
  if (!/\sxmlns\s*=/.test(attrs)) {
    attrs += ` xmlns="urn:oasis:names:specification:ubl:schema:xsd:${root === 'Invoice' ? 'Invoice-2' : 'CreditNote-2'}"`;
  }
  for (const [k, v] of Object.entries(UBL_DECLS)) if (!attrs.includes(`${k}=`)) attrs += ` ${k}="${v}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${attrs}>${fragment.slice(m[0].length)}`;
}

export function loadCorpus(referenceDir: string): CorpusInput[] {
  const corpus = path.join(referenceDir, 'corpus');
  const inputs: CorpusInput[] = [];
  for (const file of walk(corpus)) {
    const rel = path.relative(corpus, file);
    const text = readFileSync(file, 'utf8');
    if (!rel.startsWith('en16931-unit' + path.sep)) {
      inputs.push({ name: rel, kind: 'file', xml: text, expects: [] });
      continue;
    }
    let i = 0;
    for (const t of text.matchAll(/<test>([\s\S]*?)<\/test>/g)) {
      i++;
      const body = t[1]!;
      const doc = /<(Invoice|CreditNote)\b[\s\S]*<\/\1>/.exec(body);
      if (!doc) continue;
      const exp = /<(success|error)>\s*([^<\s]+)\s*<\/\1>/.exec(body);
      inputs.push({
        name: `${rel}#${i}`,
        kind: 'fragment',
        xml: wrapFragment(doc[0], doc[1] as 'Invoice' | 'CreditNote'),
        expects: exp ? [{ outcome: exp[1] as 'success' | 'error', ruleId: exp[2]! }] : [],
      });
    }
  }
  return inputs;
}
