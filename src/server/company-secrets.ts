/**
 * A company's own secrets in the vault, as the InvoiCy platform offers them to partners
 * (../shared/seeds/br-invoicy-gateway-articles.txt): the 32-character partner key handed out
 * once when the company is registered through the API, and the certificate password, which a
 * partner sends in clear (over HTTPS) or AES-encrypted with that key. Neither is ever returned:
 * reads give masked forms only.
 *
 * Encrypted form of the password (what a partner sends with `encryption: "aes-256-gcm"`):
 * base64 of IV (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes); AES-256-GCM, the key being the
 * partner key's 32 ASCII characters taken as bytes, no additional data. See partner-key.ts.
 */
import { EfactError } from '../domain/errors.js';
import type { SecretVault } from '../ports/secrets.js';
import { mask } from '../secrets/mask.js';
import { certificatePasswordName, partnerKeyName } from '../secrets/names.js';
import { openPartnerPayload } from '../secrets/partner-key.js';

export const PASSWORD_ENCRYPTIONS = ['none', 'aes-256-gcm'] as const;
export type PasswordEncryption = (typeof PASSWORD_ENCRYPTIONS)[number];

/** Longest certificate password accepted in clear; its encrypted form is base64 of 28 bytes more. */
export const MAX_CERTIFICATE_PASSWORD = 256;
export const MAX_ENCRYPTED_PASSWORD = 4 * Math.ceil((MAX_CERTIFICATE_PASSWORD * 4 + 28) / 3);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface CompanySecretsView {
  /** Masked (first and last 4 characters), or null when none was issued. */
  partnerKey: string | null;
  partnerKeyIssuedAt: Date | null;
  /** Always fully masked (`••••`) when set; null when none is stored. */
  certificatePassword: string | null;
  certificatePasswordSetAt: Date | null;
}

/** Stores the company's certificate password, opening it first when it came encrypted with the partner key. */
export async function setCertificatePassword(vault: SecretVault, cif: string, input: { password: string; encryption?: PasswordEncryption }): Promise<void> {
  const encryption = input.encryption ?? 'none';
  let password: string;
  if (encryption === 'aes-256-gcm') {
    const payload = input.password.trim();
    if (!BASE64.test(payload) || payload.length % 4 !== 0) {
      throw new EfactError('INVALID_REQUEST', 'password: with encryption "aes-256-gcm" it must be base64 of IV (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes)', {
        details: { in: 'body', field: 'password' },
      });
    }
    password = await openPartnerPayload(vault, cif, payload);
  } else {
    password = input.password;
  }
  if (password === '' || password.length > MAX_CERTIFICATE_PASSWORD) {
    throw new EfactError('INVALID_REQUEST', `password: a certificate password has 1 to ${MAX_CERTIFICATE_PASSWORD} characters`, {
      details: { in: 'body', field: 'password' },
    });
  }
  await vault.put(certificatePasswordName(cif), password);
}

/** What may be shown of the company's secrets: masked values and dates, never a value. */
export async function companySecrets(vault: SecretVault, cif: string): Promise<CompanySecretsView> {
  const names = new Map((await vault.list()).map((s) => [s.name, s.updatedAt]));
  const keyAt = names.get(partnerKeyName(cif)) ?? null;
  const passwordAt = names.get(certificatePasswordName(cif)) ?? null;
  return {
    partnerKey: keyAt === null ? null : mask(await vault.get(partnerKeyName(cif))),
    partnerKeyIssuedAt: keyAt,
    certificatePassword: passwordAt === null ? null : '••••',
    certificatePasswordSetAt: passwordAt,
  };
}
