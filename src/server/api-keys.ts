/**
 * API keys: made here, shown once, stored as their SHA-256.
 *
 * A key is `efk_` followed by 32 random bytes (256 bits) in base64url. A slow password hash
 * (bcrypt, scrypt) exists to make guessing low-entropy human passwords expensive; nobody can guess
 * 256 random bits, so one SHA-256 is as safe here and lets a request's key be found by an indexed
 * lookup of its hash. The database thus never holds anything that opens the API.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isRole, type ApiKey, type Role, ROLES } from '../domain/access.js';
import { checkCif } from '../domain/company-fields.js';
import { EfactError } from '../domain/errors.js';
import type { Store } from '../ports/store.js';

export const API_KEY_PREFIX = 'efk_';
const KEY_PATTERN = /^efk_[A-Za-z0-9_-]{43}$/;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$/;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Whether the text could be a key at all (saves a lookup for garbage). */
export function looksLikeApiKey(text: string): boolean {
  return KEY_PATTERN.test(text);
}

export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, hash: hashApiKey(key), prefix: key.slice(0, API_KEY_PREFIX.length + 6) };
}

export interface ApiKeyRequest {
  name: string;
  role: string;
  /** CIFs (with or without RO); empty or absent: every company. */
  companies?: readonly string[] | null;
}

/** Creates a key; the returned `key` is the only time the secret exists outside the caller. */
export async function createApiKey(store: Store, request: ApiKeyRequest): Promise<{ key: string; record: ApiKey }> {
  const name = request.name.trim();
  if (!NAME_PATTERN.test(name)) {
    throw new EfactError('INVALID_REQUEST', `name: ${JSON.stringify(request.name)} is not a key name (letters, digits, space, ".", "_", "@", "-"; at most 64 characters)`, {
      details: { field: 'name' },
    });
  }
  if (!isRole(request.role)) {
    throw new EfactError('INVALID_REQUEST', `role: ${JSON.stringify(request.role)} is not a role; use one of ${ROLES.join(', ')}`, {
      details: { field: 'role', allowed: ROLES },
    });
  }
  const role: Role = request.role;
  let companies: string[] | null = null;
  if (request.companies && request.companies.length > 0) {
    companies = [];
    for (const c of request.companies) {
      const cif = checkCif(c, 'companies');
      const company = await store.getCompanyByCif(cif);
      if (!company || company.removedAt) {
        throw new EfactError('UNKNOWN_COMPANY', `companies: no company with CIF ${c} is configured`, { details: { field: 'companies', cif: c } });
      }
      if (!companies.includes(cif)) companies.push(cif);
    }
  }
  const { key, hash, prefix } = generateApiKey();
  const record = await store.createApiKey({ name, role, companies, hash, prefix });
  return { key, record };
}
