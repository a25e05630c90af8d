import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readZip, writeZip } from '../../zip/zip.js';
import { inspectAnswerZip, signatureDigestMatches } from './answer-zip.js';
import { isDuplicateUploadMessage, isErrorDocument, parseErrorDocument } from './parsers/error-document.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('base64');

const INVOICE = enc('<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><cbc:ID xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">F1</cbc:ID></Invoice>\n');
const ERROR_DOC = enc(
  '<?xml version="1.0" encoding="UTF-8"?>\n<header xmlns="mfp:anaf:dgti:efactura:mesajEroriFactuta:v1" Index_incarcare="5001120362" Cif_emitent="8000000000">\n' +
    '\u00a0<Error errorMessage="E: validari globale SCHEMATRON eroare: [BR-RO-110]-..."/>\r\n' +
    '<Error errorMessage="Factura a mai fost transmisa anterior cu index=5001120300"/>\n</header>',
);

/** A detached XAdES-like signature: one Reference to the file, one to its own SignedProperties. */
function signatureFor(digest: string, algorithm = 'http://www.w3.org/2001/04/xmlenc#sha256'): Uint8Array {
  return enc(
    `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="s"><ds:SignedInfo>` +
      `<ds:Reference Id="r1" URI="">\n<ds:DigestMethod Algorithm="${algorithm}"/><ds:DigestValue>\n${digest}\n</ds:DigestValue></ds:Reference>` +
      `<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#sp"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference>` +
      `</ds:SignedInfo><ds:SignatureValue>x</ds:SignatureValue></ds:Signature>`,
  );
}

describe('signatureDigestMatches', () => {
  it('compares the file reference digest with the file bytes', () => {
    expect(signatureDigestMatches(INVOICE, signatureFor(sha256(INVOICE)))).toBe(true);
    const tampered = enc(new TextDecoder().decode(INVOICE).replace('F1', 'F2'));
    expect(signatureDigestMatches(tampered, signatureFor(sha256(INVOICE)))).toBe(false);
  });

  it('follows the digest algorithm the reference names', () => {
    const sha512 = createHash('sha512').update(INVOICE).digest('base64');
    expect(signatureDigestMatches(INVOICE, signatureFor(sha512, 'http://www.w3.org/2001/04/xmlenc#sha512'))).toBe(true);
  });

  it('is null without a digest or with an unreadable signature', () => {
    expect(signatureDigestMatches(INVOICE, enc('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>'))).toBeNull();
    expect(signatureDigestMatches(INVOICE, enc('<broken'))).toBeNull();
  });
});

describe('error document', () => {
  it('reads the upload index, issuer and every message verbatim', () => {
    expect(isErrorDocument(ERROR_DOC)).toBe(true);
    expect(isErrorDocument(INVOICE)).toBe(false);
    const doc = parseErrorDocument(ERROR_DOC);
    expect(doc).toEqual({
      uploadId: '5001120362',
      issuerCif: '8000000000',
      messages: ['E: validari globale SCHEMATRON eroare: [BR-RO-110]-...', 'Factura a mai fost transmisa anterior cu index=5001120300'],
    });
    expect(isDuplicateUploadMessage(doc.messages[1]!)).toBe(true);
    expect(() => parseErrorDocument(INVOICE)).toThrowError(/not an ANAF error document/);
  });
});

describe('inspectAnswerZip', () => {
  it('finds the invoice and its signature in a real ANAF-shaped ZIP', () => {
    const zip = writeZip({ '3001474425.xml': INVOICE, 'semnatura_3001474425.xml': signatureFor(sha256(INVOICE)) });
    const c = inspectAnswerZip(readZip(zip), '3001474425');
    expect(c.mainFile?.name).toBe('3001474425.xml');
    expect(c.signatureFile?.name).toBe('semnatura_3001474425.xml');
    expect(new Uint8Array(c.mainFile!.bytes)).toEqual(INVOICE);
    expect(c.isErrorDocument).toBe(false);
    expect(c.digestMatches).toBe(true);
    expect(c.notes).toEqual([]);
    expect(c.files.map((f) => f.kind)).toEqual(['invoice', 'signature']);
  });

  it('recognises a NOK answer', () => {
    const c = inspectAnswerZip(new Map([['42.xml', ERROR_DOC], ['semnatura_42.xml', signatureFor(sha256(ERROR_DOC))]]));
    expect(c.isErrorDocument).toBe(true);
    expect(c.errorDocument?.uploadId).toBe('5001120362');
    expect(c.digestMatches).toBe(true);
  });

  it('reports a wrong digest and a missing signature', () => {
    expect(inspectAnswerZip(new Map([['1.xml', INVOICE], ['semnatura_1.xml', signatureFor('AAAA')]])).digestMatches).toBe(false);
    const alone = inspectAnswerZip(new Map([['1.xml', INVOICE]]));
    expect(alone.digestMatches).toBeNull();
    expect(alone.notes.join()).toMatch(/no signature/);
  });

  it('reports a PDF and unexpected files without failing', () => {
    const c = inspectAnswerZip(new Map([['1.xml', INVOICE], ['semnatura_1.xml', signatureFor(sha256(INVOICE))], ['factura.pdf', enc('%PDF-1.4\n')], ['x.bin', new Uint8Array([1, 2])]]));
    expect(c.mainFile?.name).toBe('1.xml');
    expect(c.files.find((f) => f.name === 'factura.pdf')?.kind).toBe('pdf');
    expect(c.notes.join('\n')).toMatch(/PDF inside: factura.pdf/);
    expect(c.notes.join('\n')).toMatch(/unexpected file inside: x.bin/);
  });

  it('looks one level into a nested ZIP when the top level has no main file', () => {
    const inner = writeZip({ '7.xml': INVOICE, 'semnatura_7.xml': signatureFor(sha256(INVOICE)) });
    const c = inspectAnswerZip(readZip(writeZip({ 'raspuns.zip': inner })));
    expect(c.mainFile?.name).toBe('raspuns.zip/7.xml');
    expect(new Uint8Array(c.mainFile!.bytes)).toEqual(INVOICE);
    expect(c.digestMatches).toBe(true);
    expect(c.notes.join('\n')).toMatch(/nested ZIP inside: raspuns.zip \(holds 7.xml, semnatura_7.xml\)/);
  });

  it('reports an unreadable nested ZIP and no main file', () => {
    const c = inspectAnswerZip(new Map([['a.zip', new Uint8Array([0x50, 0x4b, 0, 0])]]));
    expect(c.mainFile).toBeNull();
    expect(c.notes.join('\n')).toMatch(/unreadable/);
  });

  it('prefers <downloadId>.xml among several candidates', () => {
    const c = inspectAnswerZip(new Map([['a.xml', INVOICE], ['9.xml', INVOICE]]), '9');
    expect(c.mainFile?.name).toBe('9.xml');
    expect(c.notes.join()).toMatch(/several XML files/);
  });
});
