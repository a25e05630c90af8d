/**
 * Which ANAF OAuth profile a company's calls use. Precedence, first that names one:
 *   1. the configuration file's `companies[].oauthProfile` (the file is applied again at every
 *      start, and its companies cannot be changed through the CLI or the API);
 *   2. the store's `companies.oauth_profile`, set by `efact company add|update --oauth-profile`
 *      or the API (POST/PATCH /companies);
 *   3. the file's `oauth.profile`, the default for every company.
 * Every ANAF call asks, so the store's answers are kept in memory and read again at most every
 * few seconds (as the engine rescans companies); a company not yet known is looked up at once,
 * so one added a moment ago works on its first call.
 */
import type { CompanyConfig } from '../config/types.js';
import type { Store } from '../ports/store.js';

const RELOAD_MS = 5_000;

export class CompanyProfiles {
  #fromStore = new Map<string, string | null>();
  #loadedAt = -Infinity;
  #loading: Promise<void> | null = null;

  constructor(
    private readonly store: Pick<Store, 'listCompanies'>,
    private readonly configured: readonly CompanyConfig[],
    private readonly defaultProfile: string | undefined,
  ) {}

  private fromFile(cif: string): string | undefined {
    return this.configured.find((c) => c.cif === cif)?.oauthProfile;
  }

  private async reload(): Promise<void> {
    this.#loading ??= (async () => {
      try {
        const companies = await this.store.listCompanies();
        this.#fromStore = new Map(companies.map((c) => [c.cif, c.oauthProfile ?? null]));
        this.#loadedAt = Date.now();
      } finally {
        this.#loading = null;
      }
    })();
    return this.#loading;
  }

  /** The profile of company `cif`, or undefined when none applies. */
  async profileOf(cif: string): Promise<string | undefined> {
    const file = this.fromFile(cif);
    if (file !== undefined) return file;
    const age = Date.now() - this.#loadedAt;
    if (age >= RELOAD_MS || !this.#fromStore.has(cif)) await this.reload();
    return this.#fromStore.get(cif) ?? this.defaultProfile;
  }

  /** Every company (not removed) with its profile, read fresh: for status and the refresher. */
  async all(): Promise<Array<{ cif: string; profile: string | undefined }>> {
    await this.reload();
    const cifs = new Set([...this.configured.map((c) => c.cif), ...this.#fromStore.keys()]);
    return [...cifs].map((cif) => ({ cif, profile: this.fromFile(cif) ?? this.#fromStore.get(cif) ?? this.defaultProfile }));
  }

  /** The companies whose calls use `profile`. */
  async companiesOf(profile: string): Promise<string[]> {
    return (await this.all()).filter((c) => c.profile === profile).map((c) => c.cif);
  }
}
