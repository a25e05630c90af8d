/**
 * The sandbox's own small PKI for logincert's TLS client-certificate step: a CA, a server
 * certificate for 127.0.0.1 / localhost, and a client certificate standing in for a person's
 * qualified certificate. Keys come from node:crypto (fast, native); node-forge builds and signs
 * the X.509 certificates. Everything lives in memory (PEM strings).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface SandboxPki {
  /** PEM of the CA certificate: trust it to reach the sandbox's TLS OAuth host. */
  ca: string;
  server: { cert: string; key: string };
  /** A client certificate issued by the sandbox CA (what a browser would present). */
  client: { cert: string; key: string };
  /** A client certificate from another CA: presented, but not trusted by the sandbox. */
  stranger: { cert: string; key: string };
}

function rsaKeys(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

interface Issued {
  cert: forge.pki.Certificate;
  keyPem: string;
}

function issue(
  subjectCn: string,
  issuer: Issued | null,
  options: { ca?: boolean; serverNames?: string[]; client?: boolean; days?: number },
): Issued {
  const keys = rsaKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  // Positive serial (high bit clear), as X.509 wants.
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600_000);
  cert.validity.notAfter = new Date(now.getTime() + (options.days ?? 3650) * 24 * 3600_000);
  const subject = [
    { name: 'commonName', value: subjectCn },
    { name: 'organizationName', value: 'Efact sandbox' },
    { name: 'countryName', value: 'RO' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(issuer === null ? subject : issuer.cert.subject.attributes);
  const extensions: object[] = [{ name: 'basicConstraints', cA: options.ca === true, critical: true }];
  if (options.ca) extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
  else extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true });
  if (options.serverNames) {
    extensions.push({ name: 'extKeyUsage', serverAuth: true });
    extensions.push({
      name: 'subjectAltName',
      altNames: options.serverNames.map((n) => (/^\d+\.\d+\.\d+\.\d+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })),
    });
  }
  if (options.client) extensions.push({ name: 'extKeyUsage', clientAuth: true });
  cert.setExtensions(extensions);
  const signer = forge.pki.privateKeyFromPem(issuer === null ? keys.privatePem : issuer.keyPem);
  cert.sign(signer as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { cert, keyPem: keys.privatePem };
}

const pem = (i: Issued): { cert: string; key: string } => ({ cert: forge.pki.certificateToPem(i.cert), key: i.keyPem });

let shared: SandboxPki | null = null;

/**
 * The PKI of this process's sandboxes: made once (node-forge signs in pure JavaScript, about
 * 1–4 s for the five certificates on a busy machine) and shared by every sandbox started here.
 */
export function sandboxPki(): SandboxPki {
  shared ??= createSandboxPki();
  return shared;
}

export function createSandboxPki(): SandboxPki {
  const ca = issue('Efact Sandbox CA', null, { ca: true });
  const server = issue('127.0.0.1', ca, { serverNames: ['127.0.0.1', 'localhost'] });
  const client = issue('POPESCU ION (sandbox qualified certificate)', ca, { client: true, days: 365 });
  const otherCa = issue('Some Other CA', null, { ca: true });
  const stranger = issue('Stranger', otherCa, { client: true, days: 365 });
  return { ca: forge.pki.certificateToPem(ca.cert), server: pem(server), client: pem(client), stranger: pem(stranger) };
}
