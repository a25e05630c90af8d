/**
 * What the sandbox's front door makes of an uploaded body: refused (ANAF's
 * SAXParseException-style text, ExecutionStatus=1), taken in but unprocessable ("XML cu erori
 * nepreluat de sistem"), an invoice, or a buyer message (RASP). Parsing goes through the one
 * safe parser (no DTD, size limit).
 */
import { EfactError } from '../../domain/errors.js';
import type { InvoiceMetadata, UploadStandard } from '../../domain/invoice.js';
import { child, parseXml, type XmlElement } from '../../xml/parse.js';
import { CII_NS, metadataOf, UBL_CREDIT_NOTE_NS, UBL_INVOICE_NS } from '../../xml/invoice-metadata.js';
import { NS, UPLOAD } from './texts.js';

export type InspectedDocument =
  | { kind: 'refused'; message: string }
  /** `reason`: the EN 16931 rule text it breaks (validare reports it). */
  | { kind: 'unprocessable'; reason: string }
  | { kind: 'invoice'; root: XmlElement; meta: InvoiceMetadata }
  | { kind: 'buyer-message'; invoiceIndex: string; message: string };

const EXPECTED_ROOT: Record<UploadStandard, { name: string; ns: string }> = {
  UBL: { name: 'Invoice', ns: UBL_INVOICE_NS },
  CN: { name: 'CreditNote', ns: UBL_CREDIT_NOTE_NS },
  CII: { name: 'CrossIndustryInvoice', ns: CII_NS },
  RASP: { name: 'header', ns: NS.buyerMessage },
};

export interface TextPosition {
  line: number;
  column: number;
}

function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The root's qualified name as written and the position just after its start tag (where Xerces reports). */
export function rootStartTag(text: string): { qname: string; end: TextPosition } | null {
  let i = 0;
  const skipPast = (marker: string): boolean => {
    const at = text.indexOf(marker, i);
    if (at < 0) return false;
    i = at + marker.length;
    return true;
  };
  while (i < text.length) {
    if (text.startsWith('<?', i)) {
      if (!skipPast('?>')) return null;
    } else if (text.startsWith('<!--', i)) {
      if (!skipPast('-->')) return null;
    } else if (text.startsWith('<!', i)) {
      if (!skipPast('>')) return null;
    } else if (text[i] === '<') break;
    else i++;
  }
  const m = /^<([^\s/>]+)/.exec(text.slice(i, i + 300));
  if (!m) return null;
  let quote: string | null = null;
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return { qname: m[1]!, end: positionOf(text, j + 1) };
  }
  return null;
}

function refusal(line: number, column: number, detail: string): InspectedDocument {
  return { kind: 'refused', message: UPLOAD.invalidXml(line, column, detail) };
}

function parseFailure(e: EfactError, text: string): InspectedDocument {
  if (e.code === 'XML_DTD_FORBIDDEN') {
    const at = positionOf(text, Math.max(0, text.indexOf('<!DOCTYPE')));
    return refusal(at.line, at.column + '<!DOCTYPE'.length, UPLOAD.doctype);
  }
  const m = /(\d+):(\d+): (.*)$/.exec(e.message);
  if (!m) return refusal(1, 1, e.message);
  const line = Number(m[1]);
  const column = Number(m[2]);
  return refusal(line, column, xercesWording(m[3]!, text, { line, column }));
}

/** Xerces' words for the commonest faults (what ANAF's Java parser says); saxes' own otherwise. */
function xercesWording(detail: string, text: string, at: TextPosition): string {
  if (detail.startsWith('document must contain a root element')) return 'Premature end of file.';
  if (detail.startsWith('unclosed tag')) return 'XML document structures must start and end within the same entity.';
  if (detail.startsWith('text data outside of root node')) {
    const root = rootStartTag(text);
    const beforeRoot = root === null || at.line < root.end.line || (at.line === root.end.line && at.column < root.end.column);
    return beforeRoot ? 'Content is not allowed in prolog.' : 'Content is not allowed in trailing section.';
  }
  return detail;
}

const BR_02 = '[BR-02]-An Invoice shall have an Invoice number (BT-1).';
const BR_06 = '[BR-06]-An Invoice shall contain the Seller name (BT-27).';

/** The EN 16931 rule a document breaks so badly that ANAF does not take it in; null when it is whole enough. */
function brokenBeyondRepair(root: XmlElement, standard: UploadStandard): string | null {
  if (standard === 'CII') return child(child(root, 'ExchangedDocument'), 'ID') ? null : BR_02;
  if (!child(root, 'ID')) return BR_02;
  if (!child(root, 'AccountingSupplierParty')) return BR_06;
  return null;
}

export function inspectDocument(bytes: Uint8Array, standard: UploadStandard, maxBytes: number): InspectedDocument {
  const text = new TextDecoder('utf-8').decode(bytes);
  let root: XmlElement;
  try {
    root = parseXml(bytes, { maxBytes });
  } catch (e) {
    if (e instanceof EfactError) return parseFailure(e, text);
    throw e;
  }
  const expected = EXPECTED_ROOT[standard];
  const start = rootStartTag(text);
  if (root.name !== expected.name || root.ns !== expected.ns) {
    return refusal(start?.end.line ?? 1, start?.end.column ?? 1, UPLOAD.unknownRoot(start?.qname ?? root.name));
  }
  if (standard === 'RASP') {
    for (const attr of ['index_incarcare', 'message'] as const) {
      if (root.attrs[attr] === undefined) {
        const detail = `cvc-complex-type.4: Attribute '${attr}' must appear on element '${start?.qname ?? 'header'}'.`;
        return refusal(start?.end.line ?? 1, start?.end.column ?? 1, detail);
      }
    }
    return { kind: 'buyer-message', invoiceIndex: root.attrs.index_incarcare!.trim(), message: root.attrs.message! };
  }
  const broken = brokenBeyondRepair(root, standard);
  if (broken) return { kind: 'unprocessable', reason: broken };
  try {
    return { kind: 'invoice', root, meta: metadataOf(root) };
  } catch (e) {
    if (e instanceof EfactError) return { kind: 'unprocessable', reason: e.message };
    throw e;
  }
}
