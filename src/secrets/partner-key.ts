/**
 * The per-company partner key, as the InvoiCy platform does it: registering a company returns,
 * once, a 32-character key; a partner may then send the company's certificate password
 * AES-encrypted with it instead of in clear. 32 ASCII characters are the 32 bytes of an
 * AES-256 key. Format of what the partner sends: base64 of IV (12 bytes) ‖ ciphertext ‖ GCM tag
 * (16 bytes), AES-256-GCM, no additional data.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomInt } from 'node:crypto';
import { EfactError } from '../domain/errors.js';
import type { SecretVault } from '../ports/secrets.js';
import { partnerKeyName } from './names.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const PARTNER_KEY_LENGTH = 32;

export function newPartnerKey(): string {
  let out = '';
  for (let i = 0; i < PARTNER_KEY_LENGTH; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** Creates the company's partner key, stores it in the vault, and returns it (shown once). */
export async function issuePartnerKey(vault: SecretVault, cif: string): Promise<string> {
  const key = newPartnerKey();
  await vault.put(partnerKeyName(cif), key);
  return key;
}

function keyBytes(key: string): Buffer {
  const bytes = Buffer.from(key, 'utf8');
  if (bytes.length !== PARTNER_KEY_LENGTH) throw new EfactError('INVALID_REQUEST', `a partner key has ${PARTNER_KEY_LENGTH} characters`);
  return bytes;
}

/** What a partner does: encrypts a value with the company's key. */
export function encryptForPartnerKey(key: string, value: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyBytes(key), iv);
  const ct = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64');
}

/** Decrypts what a partner sent; a wrong key or a changed byte is refused with a clear error. */
export function decryptWithPartnerKey(key: string, payload: string): string {
  const raw = Buffer.from(payload, 'base64');
  if (raw.length < 12 + 16) throw new EfactError('INVALID_REQUEST', 'the encrypted value is too short (expected base64 of IV ‖ ciphertext ‖ tag)');
  const decipher = createDecipheriv('aes-256-gcm', keyBytes(key), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  try {
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new EfactError('INVALID_REQUEST', "the encrypted value does not open with this company's partner key (wrong key, or changed in transit)");
  }
}

/** Opens a partner's payload with the company's stored key. */
export async function openPartnerPayload(vault: SecretVault, cif: string, payload: string): Promise<string> {
  const key = await vault.get(partnerKeyName(cif));
  if (key === null) throw new EfactError('INVALID_REQUEST', `company ${cif} has no partner key; send the value in clear over HTTPS or register the company again`);
  return decryptWithPartnerKey(key, payload);
}
