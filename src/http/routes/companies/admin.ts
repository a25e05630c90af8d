/** What the company routes share: the CompanyAdmin and one company as the API shows it. */
import type { Company } from '../../../domain/company.js';
import { CompanyAdmin } from '../../../server/company-admin.js';
import type { ApiDeps } from '../../deps.js';
import { serializeCompany } from '../../serialize.js';

const fallback = new WeakMap<ApiDeps, CompanyAdmin>();

export function companyAdmin(deps: ApiDeps): CompanyAdmin {
  if (deps.companies) return deps.companies;
  let admin = fallback.get(deps);
  if (!admin) {
    admin = new CompanyAdmin(deps.store, new Set(), deps.now);
    fallback.set(deps, admin);
  }
  return admin;
}

export async function companyJson(deps: ApiDeps, company: Company) {
  const counts = await deps.store.countByStatus(company.id);
  const state = deps.engine.states().find((s) => s.companyId === company.id);
  return serializeCompany(company, counts, state, companyAdmin(deps).isConfigured(company.cif) ? 'config' : 'store');
}

const nullableText = (max: number, description: string) => ({ type: ['string', 'null'], maxLength: max, description }) as const;

/** Body fields of POST and PATCH /companies. */
export const companyFields = {
  shortName: { type: 'string', minLength: 1, maxLength: 40, description: "Short name (the manuals' NumeSkema), unique" },
  name: { type: 'string', minLength: 1, maxLength: 200, description: "Company name (the manuals' NumeFirma)" },
  environment: { type: 'string', enum: ['test', 'prod'] },
  exportFolder: nullableText(1000, 'Absolute folder the ERP writes invoice XML into; null or "" for none'),
  partitionFilter: nullableText(10_000, "The manuals' FiltruSQL, e.g. branch = 'Iasi'; null or \"\" for none"),
  oauthProfile: nullableText(64, 'Name of the OAuth profile whose ANAF tokens the company uses'),
} as const;
