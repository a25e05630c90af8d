/**
 * AES-256-GCM envelopes, as text so they fit any column:
 *
 *   efs1.<keyId>.<iv>.<tag>.<ciphertext>        (base64url parts)
 *
 * `efs1` is the format version, `keyId` the fingerprint of the master key that sealed it. The
 * additional authenticated data binds the envelope to its version, key id and the secret's
 * name, so a ciphertext copied onto another secret (or another key id) fails like a tampered one.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { EfactError } from '../domain/errors.js';

export const ENVELOPE_VERSION = 'efs1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const MASTER_KEY_BYTES = 32;

export interface MasterKey {
  /** 16 hex digits of a SHA-256 over the key: names it without revealing it. */
  id: string;
  key: Buffer;
}

export function masterKey(key: Buffer): MasterKey {
  if (key.length !== MASTER_KEY_BYTES) {
    throw new EfactError('INVALID_CONFIG', `a master key must be ${MASTER_KEY_BYTES} bytes, got ${key.length}`);
  }
  const id = createHash('sha256').update('efact master key id\0').update(key).digest('hex').slice(0, 16);
  return { id, key: Buffer.from(key) };
}

function aad(keyId: string, name: string): Buffer {
  return Buffer.from(`${ENVELOPE_VERSION}\0${keyId}\0${name}`, 'utf8');
}

export function seal(key: MasterKey, name: string, value: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(key.id, name));
  const ct = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [ENVELOPE_VERSION, key.id, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
}

export interface ParsedEnvelope {
  version: string;
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export function parseEnvelope(envelope: string): ParsedEnvelope {
  const parts = envelope.split('.');
  if (parts.length !== 5 || parts[0] !== ENVELOPE_VERSION || !/^[0-9a-f]{16}$/.test(parts[1]!)) {
    throw new EfactError('INTERNAL', `not an Efact secret envelope (expected ${ENVELOPE_VERSION}.<key id>.<iv>.<tag>.<data>)`);
  }
  const [version, keyId, iv, tag, ct] = parts as [string, string, string, string, string];
  const out = { version, keyId, iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url'), ciphertext: Buffer.from(ct, 'base64url') };
  if (out.iv.length !== IV_BYTES || out.tag.length !== TAG_BYTES) {
    throw new EfactError('INTERNAL', 'secret envelope damaged: wrong IV or tag length');
  }
  return out;
}

/** Opens an envelope with `key`; a wrong key, another name or any changed byte throws. */
export function open(key: MasterKey, name: string, envelope: string): string {
  const parsed = parseEnvelope(envelope);
  if (parsed.keyId !== key.id) {
    throw new EfactError('INTERNAL', `secret ${name} is encrypted under master key ${parsed.keyId}, not under the loaded key ${key.id}`, {
      details: { secret: name, keyId: parsed.keyId },
    });
  }
  const decipher = createDecipheriv('aes-256-gcm', key.key, parsed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(parsed.keyId, name));
  decipher.setAuthTag(parsed.tag);
  try {
    return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]).toString('utf8');
  } catch (e) {
    throw new EfactError('INTERNAL', `secret ${name} failed its integrity check (tampered, moved, or sealed under another key)`, {
      details: { secret: name, keyId: parsed.keyId },
      cause: e,
    });
  }
}
