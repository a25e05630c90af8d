/**
 * Who may do what through the API: roles, company scopes and the principal a request acts as.
 * Pure rules; keys are made and checked in src/server/api-keys.ts, requests in src/http/access/.
 */

/** viewer reads; operator also acts on invoices and companies in scope; admin does everything. */
export type Role = 'viewer' | 'operator' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** True when `role` is at least `needed`. */
export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** What an API key records. `companies` null: every company, present and future. */
export interface ApiKey {
  id: number;
  name: string;
  role: Role;
  /** CIFs (digits only), or null for all companies. */
  companies: string[] | null;
  /** The first characters of the key, to tell keys apart without the secret. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The identity a request acts as. */
export interface Principal {
  /** Stable id used to scope remembered answers and throttling: `key:<id>` or `local`. */
  id: string;
  name: string;
  role: Role;
  companies: ReadonlySet<string> | null;
  /** How it was established: an API key, or the open local mode (no key configured, 127.0.0.1). */
  via: 'api-key' | 'local';
}

/** The principal of the open local mode: everything, as today, only on 127.0.0.1. */
export const LOCAL_PRINCIPAL: Principal = { id: 'local', name: 'local (no access control configured)', role: 'admin', companies: null, via: 'local' };

export function principalOf(key: ApiKey): Principal {
  return { id: `key:${key.id}`, name: key.name, role: key.role, companies: key.companies === null ? null : new Set(key.companies), via: 'api-key' };
}

/** Whether the principal may see the company with this CIF (digits only). */
export function inScope(principal: Principal, cif: string): boolean {
  return principal.companies === null || principal.companies.has(cif);
}

/** True for a key (or mode) that reaches every company. */
export function seesAllCompanies(principal: Principal): boolean {
  return principal.companies === null;
}
