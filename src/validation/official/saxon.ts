/**
 * Running ANAF's compiled Schematron (an XSLT 2.0 stylesheet producing SVRL) with saxon-js 2.7.
 *
 * saxon-js runs SEF (its compiled stylesheet form), and its public API only compiles XSLT inside
 * fn:transform, again on every call (~20–90 s for ANAF's 1 MB stylesheet). So the stylesheet is
 * compiled once with the XSLT compiler saxon-js carries (platform resource 'compiler', run the way
 * its fn:transform does), the SEF is kept on disk keyed by the stylesheet's SHA-256, and runs go
 * through internalTransform with the parsed SEF held in memory. These are undocumented entry
 * points of saxon-js 2.7: the version is checked, and a mismatch fails loudly.
 */
import SaxonJS, { type SefNode } from 'saxon-js';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SUPPORTED_VERSION = '2.7';

function checkVersion(): void {
  const v = SaxonJS.getProcessorInfo().productVersion;
  if (v !== SUPPORTED_VERSION) {
    throw new Error(`official validation needs saxon-js ${SUPPORTED_VERSION} (found ${v}); its SEF compile step uses that version's internals`);
  }
}

/** saxon-js expects each SEF node to know its parent (its own loader does this after parsing). */
function linkParents(node: SefNode): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.C) {
      for (const c of n.C) {
        c.parentNode = n;
        stack.push(c);
      }
    }
  }
}

/** Compiles XSLT source text to SEF JSON text. Slow (tens of seconds): call once, cache the result. */
export function compileXsltToSef(xsltText: string, baseUri: string): string {
  checkVersion();
  const platform = SaxonJS.getPlatform();
  const compiler = platform.resource('compiler');
  linkParents(compiler);
  const doc = platform.parseXmlFromString(xsltText, true);
  doc._saxonBaseUri = baseUri;
  doc._saxonDocUri = baseUri;
  const staticParams = new SaxonJS.XdmMap();
  staticParams.inSituPut(SaxonJS.XS.QName.fromParts('', '', 'staticParameters'), [new SaxonJS.XdmMap()]);
  const options = SaxonJS.checkOptions({
    stylesheetParams: staticParams,
    tunnelParams: { 'Q{}compiler.options': new SaxonJS.XdmMap() },
    functionParams: {},
    isDynamicStylesheet: true,
    destination: 'application',
    initialMode: 'compile-complete',
    templateParams: {
      'Q{}options': { noXPath: false, 'enable-assertions': false, allowSyntaxExtensions: false, relocatable: false },
    },
    stylesheetInternal: compiler,
    outputProperties: {},
  });
  SaxonJS.internalTransform(compiler, doc as never, options);
  const result = options.principalResult as { firstChild: unknown } | undefined;
  if (!result?.firstChild) throw new Error('saxon-js compiler produced no SEF');
  const sef = SaxonJS.XPath.sefToJSON(result.firstChild);
  return JSON.stringify(sef, (k, v: unknown) => (k === 'parentNode' ? undefined : v));
}

export interface CompiledStylesheet {
  /** SHA-256 of the XSLT source, hex. */
  readonly hash: string;
  /** Runs the stylesheet on an XML document; returns the serialized result (SVRL). */
  transform(xml: string): string;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Loads an XSLT stylesheet, compiling it to SEF on first use and caching the SEF under
 * `cacheDir/sef/<sha256>.sef.json` (written atomically) so later processes load it in ~0.1 s.
 */
export function loadStylesheet(xsltPath: string, cacheDir: string): CompiledStylesheet {
  checkVersion();
  const text = readFileSync(xsltPath, 'utf8');
  const hash = sha256(text);
  const sefDir = path.join(cacheDir, 'sef');
  const sefPath = path.join(sefDir, `${hash}.sef.json`);
  let sefText: string;
  if (existsSync(sefPath)) sefText = readFileSync(sefPath, 'utf8');
  else {
    sefText = compileXsltToSef(text, pathToFileURL(path.resolve(xsltPath)).href);
    mkdirSync(sefDir, { recursive: true });
    const tmp = `${sefPath}.${process.pid}.tmp`;
    writeFileSync(tmp, sefText);
    renameSync(tmp, sefPath);
  }
  const sef = JSON.parse(sefText) as SefNode;
  linkParents(sef);
  const platform = SaxonJS.getPlatform();
  return {
    hash,
    transform(xml: string): string {
      const source = platform.parseXmlFromString(xml, true);
      const options = SaxonJS.checkOptions({
        stylesheetInternal: sef,
        destination: 'serialized',
        stylesheetParams: {},
        templateParams: {},
        tunnelParams: {},
        functionParams: {},
        outputProperties: {},
      });
      SaxonJS.internalTransform(sef, source, options);
      return String(options.principalResult);
    },
  };
}
