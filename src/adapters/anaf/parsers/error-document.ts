/**
 * The error document inside a NOK answer ZIP:
 *   <header xmlns="mfp:anaf:dgti:efactura:mesajEroriFactuta:v1" Index_incarcare="..." Cif_emitent="...">
 *     <Error errorMessage="..."/>...
 *   </header>
 */
import { EfactError } from '../../../domain/errors.js';
import { parseXml, type XmlElement } from '../../../xml/parse.js';
import { fold } from '../text.js';
import {
  ATTR_ERROR_DOC_ISSUER_CIF,
  ATTR_ERROR_DOC_UPLOAD_INDEX,
  NS_ERROR_DOCUMENT,
  TEXT_DUPLICATE_UPLOAD,
  XML_HEADER,
} from '../vocabulary.js';
import { attr, errorMessages } from './answer.js';

export interface ErrorDocument {
  /** `Index_incarcare`, verbatim; null when absent. */
  uploadId: string | null;
  /** `Cif_emitent`, verbatim; null when absent. */
  issuerCif: string | null;
  /** Every `errorMessage`, verbatim, in document order. */
  messages: string[];
}

function isErrorRoot(root: XmlElement): boolean {
  if (root.name !== XML_HEADER) return false;
  // Lenient on the namespace (its typo may be fixed one day), not on the shape.
  return root.ns === NS_ERROR_DOCUMENT || /mesajErori/i.test(root.ns) || attr(root, ATTR_ERROR_DOC_UPLOAD_INDEX) !== null;
}

function tryParse(xml: Uint8Array | string): XmlElement | null {
  try {
    return parseXml(xml, { maxDepth: 20 });
  } catch {
    return null;
  }
}

/** True when the bytes are ANAF's error document (a NOK answer), not an invoice. */
export function isErrorDocument(xml: Uint8Array | string): boolean {
  const root = tryParse(xml);
  return root !== null && isErrorRoot(root);
}

/** Reads the error document; throws EfactError(INVALID_XML) when the bytes are something else. */
export function parseErrorDocument(xml: Uint8Array | string): ErrorDocument {
  const root = parseXml(xml, { maxDepth: 20 });
  if (!isErrorRoot(root)) {
    throw new EfactError('INVALID_XML', `not an ANAF error document: root is {${root.ns}}${root.name}`, {
      details: { root: root.name, ns: root.ns },
    });
  }
  const uploadId = attr(root, ATTR_ERROR_DOC_UPLOAD_INDEX)?.trim() || null;
  const issuerCif = attr(root, ATTR_ERROR_DOC_ISSUER_CIF)?.trim() || null;
  return { uploadId, issuerCif, messages: errorMessages(root) };
}

/** NOTE: a second upload of the same invoice ends in "Factura a mai fost transmisa anterior cu index=..." (reported). */
export function isDuplicateUploadMessage(text: string): boolean {
  return fold(text).includes(fold(TEXT_DUPLICATE_UPLOAD));
}
