/**
 * What a downloaded answer ZIP holds: `<id>.xml` (the invoice, or the error document of a NOK)
 * and `semnatura_<id>.xml` (ANAF's detached signature). Checks locally that the signature's
 * DigestValue is the hash of the main file's bytes — an integrity check, not a signature check
 * (that needs ANAF's certificates; `verifySignature` asks ANAF).
 * NOTE: nested ZIPs and a PDF inside have been reported: they are listed, never fatal.
 */
import { createHash } from 'node:crypto';
import { parseXml, type XmlElement } from '../../xml/parse.js';
import { readZip } from '../../zip/zip.js';
import { isErrorDocument, parseErrorDocument, type ErrorDocument } from './parsers/error-document.js';
import { sniff } from './text.js';
import { NS_XMLDSIG, SIGNATURE_FILE_PREFIX } from './vocabulary.js';

export type AnswerFileKind = 'invoice' | 'error-document' | 'signature' | 'xml' | 'zip' | 'pdf' | 'other';

export interface AnswerFile {
  name: string;
  kind: AnswerFileKind;
  size: number;
}

export interface ZipFile {
  /** Entry name (for a file inside a nested ZIP: `outer.zip/inner.xml`). */
  name: string;
  bytes: Uint8Array;
}

export interface AnswerZipContents {
  /** `<id>.xml`: the invoice, or the error document of a NOK; null when none was found. */
  mainFile: ZipFile | null;
  /** `semnatura_<id>.xml`, null when absent. */
  signatureFile: ZipFile | null;
  /** The main file is ANAF's error document (a NOK answer). */
  isErrorDocument: boolean;
  errorDocument: ErrorDocument | null;
  /** DigestValue vs the main file's hash: null when there is no main file, no signature or no digest. */
  digestMatches: boolean | null;
  /** Every entry with what it looks like. */
  files: AnswerFile[];
  /** Anything unusual, for a person (nested ZIP, PDF, several candidates, no signature). */
  notes: string[];
}

const baseName = (name: string): string => name.slice(name.lastIndexOf('/') + 1);
const isSignatureName = (name: string): boolean => baseName(name).toLowerCase().startsWith(SIGNATURE_FILE_PREFIX);
const isXmlName = (name: string): boolean => baseName(name).toLowerCase().endsWith('.xml');

function kindOf(name: string, bytes: Uint8Array): AnswerFileKind {
  const shape = sniff(bytes);
  if (shape === 'zip') return 'zip';
  if (shape === 'pdf') return 'pdf';
  if (isXmlName(name) && isSignatureName(name)) return 'signature';
  if (shape === 'xml' || isXmlName(name)) return isErrorDocument(bytes) ? 'error-document' : isXmlName(name) ? 'xml' : 'other';
  return 'other';
}

function pickMain(candidates: string[], downloadId: string | undefined, signatureName: string | null): string | null {
  if (candidates.length === 0) return null;
  if (downloadId !== undefined) {
    const exact = candidates.find((n) => baseName(n) === `${downloadId}.xml`);
    if (exact) return exact;
  }
  if (signatureName !== null) {
    const paired = baseName(signatureName).slice(SIGNATURE_FILE_PREFIX.length);
    const match = candidates.find((n) => baseName(n).toLowerCase() === paired.toLowerCase());
    if (match) return match;
  }
  // Prefer the ANAF form `<digits>.xml`.
  return candidates.find((n) => /^\d+\.xml$/i.test(baseName(n))) ?? candidates[0]!;
}

/** Lists a nested ZIP's entries for a note; never throws. */
function describeNested(bytes: Uint8Array): string {
  try {
    return `holds ${[...readZip(bytes).keys()].join(', ')}`;
  } catch (e) {
    return `unreadable: ${(e as Error).message}`;
  }
}

/**
 * Identifies the files of an answer ZIP (entries as `readZip` returns them). When the top level
 * holds no main file but a nested ZIP does, the nested one is inspected (one level deep).
 */
export function inspectAnswerZip(entries: ReadonlyMap<string, Uint8Array>, downloadId?: string, depth = 0): AnswerZipContents {
  const top = inspectLevel(entries, downloadId);
  if (top.mainFile !== null || depth > 0) return top;
  const nested = top.files.filter((f) => f.kind === 'zip');
  for (const f of nested) {
    let inner: Map<string, Uint8Array>;
    try {
      inner = readZip(entries.get(f.name)!);
    } catch {
      continue;
    }
    const found = inspectAnswerZip(inner, downloadId, depth + 1);
    if (found.mainFile === null) continue;
    const prefixed = (z: ZipFile | null): ZipFile | null => (z === null ? null : { name: `${f.name}/${z.name}`, bytes: z.bytes });
    return {
      ...found,
      mainFile: prefixed(found.mainFile),
      signatureFile: prefixed(found.signatureFile),
      files: [...top.files, ...found.files.map((g) => ({ ...g, name: `${f.name}/${g.name}` }))],
      notes: [...top.notes, `main file taken from the nested ZIP ${f.name}`, ...found.notes],
    };
  }
  return top;
}

function inspectLevel(entries: ReadonlyMap<string, Uint8Array>, downloadId: string | undefined): AnswerZipContents {
  const notes: string[] = [];
  const files: AnswerFile[] = [];
  for (const [name, bytes] of entries) files.push({ name, kind: kindOf(name, bytes), size: bytes.byteLength });

  const signatures = files.filter((f) => f.kind === 'signature').map((f) => f.name);
  const candidates = files.filter((f) => (f.kind === 'xml' || f.kind === 'error-document') && !isSignatureName(f.name)).map((f) => f.name);
  let signatureName = signatures[0] ?? null;
  const mainName = pickMain(candidates, downloadId, signatureName);
  if (mainName !== null && signatures.length > 1) {
    signatureName = signatures.find((s) => baseName(s).toLowerCase() === `${SIGNATURE_FILE_PREFIX}${baseName(mainName)}`.toLowerCase()) ?? signatureName;
  }

  if (candidates.length > 1) notes.push(`several XML files could be the main file: ${candidates.join(', ')}; took ${mainName}`);
  if (mainName === null) notes.push('no main XML file (<id>.xml) in the ZIP');
  if (signatureName === null) notes.push('no signature file (semnatura_<id>.xml) in the ZIP');
  for (const f of files) {
    if (f.kind === 'zip') notes.push(`nested ZIP inside: ${f.name} (${describeNested(entries.get(f.name)!)})`);
    if (f.kind === 'pdf') notes.push(`PDF inside: ${f.name}`);
    if (f.kind === 'other') notes.push(`unexpected file inside: ${f.name}`);
  }

  for (const f of files) if (f.name === mainName && f.kind === 'xml') f.kind = 'invoice';
  const main = mainName === null ? null : entries.get(mainName)!;
  const signature = signatureName === null ? null : entries.get(signatureName)!;
  const mainIsError = mainName !== null && files.find((f) => f.name === mainName)?.kind === 'error-document';
  let errorDocument: ErrorDocument | null = null;
  if (mainIsError && main !== null) {
    try {
      errorDocument = parseErrorDocument(main);
    } catch (e) {
      notes.push(`error document unreadable: ${(e as Error).message}`);
    }
  }
  let digestMatches: boolean | null = null;
  if (main !== null && signature !== null) {
    digestMatches = signatureDigestMatches(main, signature);
    if (digestMatches === null) notes.push('the signature file holds no usable DigestValue');
    if (digestMatches === false) notes.push(`the signature's DigestValue does not match ${mainName}`);
  }
  return {
    mainFile: mainName === null || main === null ? null : { name: mainName, bytes: main },
    signatureFile: signatureName === null || signature === null ? null : { name: signatureName, bytes: signature },
    isErrorDocument: mainIsError,
    errorDocument,
    digestMatches,
    files,
    notes,
  };
}

const DIGESTS: ReadonlyArray<[RegExp, string]> = [
  [/#sha1$/i, 'sha1'],
  [/#sha224$/i, 'sha224'],
  [/#sha256$/i, 'sha256'],
  [/#sha384$/i, 'sha384'],
  [/#sha512$/i, 'sha512'],
];

interface DigestRef {
  uri: string | null;
  type: string | null;
  algorithm: string;
  value: string;
}

function collect(el: XmlElement, name: string, out: XmlElement[]): XmlElement[] {
  if (el.name === name && (el.ns === NS_XMLDSIG || el.ns === '')) out.push(el);
  for (const c of el.children) collect(c, name, out);
  return out;
}

function referencesOf(root: XmlElement): DigestRef[] {
  const refs: DigestRef[] = [];
  for (const ref of collect(root, 'Reference', [])) {
    const method = ref.children.find((c) => c.name === 'DigestMethod');
    const value = ref.children.find((c) => c.name === 'DigestValue');
    if (!value) continue;
    const algorithmUri = method?.attrs.Algorithm ?? '';
    const algorithm = DIGESTS.find(([re]) => re.test(algorithmUri))?.[1] ?? 'sha256';
    refs.push({ uri: ref.attrs.URI ?? null, type: ref.attrs.Type ?? null, algorithm, value: value.text.replace(/\s+/g, '') });
  }
  return refs;
}

/**
 * True when a DigestValue of the detached signature equals the hash of `main` (base64, SHA-256
 * unless the Reference names another digest); false when none does; null when there is none.
 * References to the signature's own parts (`#...`, SignedProperties) are not the file's.
 */
export function signatureDigestMatches(main: Uint8Array, signature: Uint8Array): boolean | null {
  let root: XmlElement;
  try {
    root = parseXml(signature);
  } catch {
    return null;
  }
  let refs = referencesOf(root).filter((r) => r.value !== '');
  const external = refs.filter((r) => !(r.uri ?? '').startsWith('#') && !/SignedProperties/i.test(r.type ?? ''));
  if (external.length > 0) refs = external;
  if (refs.length === 0) {
    // No Reference structure: fall back to any DigestValue (SHA-256, as ANAF uses).
    const values = collect(root, 'DigestValue', []).map((v) => v.text.replace(/\s+/g, '')).filter((v) => v !== '');
    if (values.length === 0) return null;
    refs = values.map((value) => ({ uri: null, type: null, algorithm: 'sha256', value }));
  }
  return refs.some((r) => createHash(r.algorithm).update(main).digest('base64') === r.value);
}
