/**
 * The sandbox's stand-in for the Ministry of Finance's detached signature (`semnatura_<id>.xml`):
 * an XMLDSig whose one Reference digests the answer file's bytes (SHA-256, base64) and whose
 * SignatureValue is RSA-SHA256 over the canonical SignedInfo, with a key pair made when the
 * first sandbox of the process starts.
 * Written without whitespace between elements, so the inclusive C14N of SignedInfo is the
 * element as written plus the inherited default namespace declaration.
 */
import { createHash, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { child, parseXml, textAt } from '../../xml/parse.js';
import { escapeXml } from './responses.js';
import { NS } from './texts.js';

const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const SUBJECT = 'CN=ANAF RO e-Factura sandbox, O=Efact sandbox, C=RO';

export type SignatureVerdict = 'valid' | 'invalid' | 'not-a-signature';

function b64url(v: string): string {
  return Buffer.from(v, 'base64url').toString('base64');
}

export function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

function canonicalSignedInfo(signedInfo: string): string {
  // The element as written inherits xmlns from <Signature>; C14N writes it on the apex element.
  return signedInfo.startsWith('<SignedInfo>')
    ? `<SignedInfo xmlns="${NS.xmldsig}">${signedInfo.slice('<SignedInfo>'.length)}`
    : signedInfo;
}

let processKeys: { privateKey: KeyObject; publicKey: KeyObject } | null = null;

/** One key pair per process: RSA generation is slow, and tests start many sandboxes. */
function sandboxKeys(): { privateKey: KeyObject; publicKey: KeyObject } {
  processKeys ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
  return processKeys;
}

export class SandboxSigner {
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;

  constructor() {
    const pair = sandboxKeys();
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  /** The detached signature document for `fileName` holding `content`. */
  sign(fileName: string, content: Uint8Array): string {
    const signedInfo =
      `<SignedInfo><CanonicalizationMethod Algorithm="${C14N}"></CanonicalizationMethod>` +
      `<SignatureMethod Algorithm="${RSA_SHA256}"></SignatureMethod>` +
      `<Reference URI="${escapeXml(fileName)}"><DigestMethod Algorithm="${SHA256}"></DigestMethod>` +
      `<DigestValue>${sha256Base64(content)}</DigestValue></Reference></SignedInfo>`;
    const value = sign('sha256', Buffer.from(canonicalSignedInfo(signedInfo), 'utf8'), this.privateKey).toString('base64');
    const jwk = this.publicKey.export({ format: 'jwk' });
    const keyInfo =
      `<KeyInfo><X509Data><X509SubjectName>${SUBJECT}</X509SubjectName></X509Data>` +
      `<KeyValue><RSAKeyValue><Modulus>${b64url(jwk.n ?? '')}</Modulus><Exponent>${b64url(jwk.e ?? '')}</Exponent>` +
      `</RSAKeyValue></KeyValue></KeyInfo>`;
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n<Signature xmlns="${NS.xmldsig}">${signedInfo}` +
      `<SignatureValue>${value}</SignatureValue>${keyInfo}</Signature>`
    );
  }

  /** Checks a signature made by this sandbox against the file it claims to sign. */
  verify(content: Uint8Array, signatureXml: Uint8Array): SignatureVerdict {
    let digest: string | null;
    let value: string | null;
    try {
      const root = parseXml(signatureXml, { maxBytes: 1024 * 1024 });
      if (root.name !== 'Signature' || root.ns !== NS.xmldsig) return 'not-a-signature';
      digest = textAt(child(child(root, 'SignedInfo'), 'Reference'), 'DigestValue');
      value = textAt(root, 'SignatureValue');
    } catch {
      return 'not-a-signature';
    }
    const text = Buffer.from(signatureXml).toString('utf8');
    const signedInfo = /<SignedInfo[\s>][\s\S]*?<\/SignedInfo>/.exec(text)?.[0];
    if (digest === null || value === null || signedInfo === undefined) return 'not-a-signature';
    if (digest !== sha256Base64(content)) return 'invalid';
    const ok = verify(
      'sha256',
      Buffer.from(canonicalSignedInfo(signedInfo), 'utf8'),
      this.publicKey,
      Buffer.from(value.replace(/\s+/g, ''), 'base64'),
    );
    return ok ? 'valid' : 'invalid';
  }
}
