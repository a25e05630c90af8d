import type { CompanyConfig } from '../config/types.js';
import type { Store } from '../ports/store.js';
import type { EngineLogger } from '../engine/context.js';

/**
 * Makes the configured companies known to the store (the server at start, and every CLI command
 * that opens the store, so they work before the server has ever run). "Reset eFact" is one-way:
 * a company promoted to prod stays in prod even if the file still says test.
 */
export async function syncConfiguredCompanies(store: Store, companies: readonly CompanyConfig[], log?: EngineLogger): Promise<void> {
  for (const c of companies) {
    const existing = await store.getCompanyByCif(c.cif);
    const environment = existing?.environment === 'prod' ? 'prod' : c.environment;
    if (environment !== c.environment) log?.warn({ company: c.cif }, 'company was promoted to prod; the configuration still says test');
    await store.upsertCompany({
      cif: c.cif,
      shortName: c.shortName,
      name: c.name,
      environment,
      exportFolder: c.exportFolder ?? null,
      partitionFilter: c.partitionFilter ?? null,
      // The file's profile is the company's (the API and `efact company list` show it too).
      oauthProfile: c.oauthProfile ?? null,
    });
  }
}
