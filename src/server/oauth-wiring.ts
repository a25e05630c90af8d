/**
 * ANAF authorisation inside a running instance: the vault (master key), the OAuth service over
 * the store, the bearer token for each ANAF call, and a background refresher that renews tokens
 * ahead of expiry so that no company stops because nobody logged in for three months.
 */
import { readFileSync } from 'node:fs';
import { EfactError } from '../domain/errors.js';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import type { CompanyConfig, EfactConfig } from '../config/types.js';
import type { Clock } from '../ports/clock.js';
import type { CallContext } from '../ports/platform.js';
import type { EngineLogger } from '../engine/context.js';
import type { SqlStore } from '../adapters/store/sql-store.js';
import { AnafOAuthEndpoint } from '../adapters/anaf/oauth/endpoint.js';
import { OAuthProfileRepository } from '../adapters/anaf/oauth/profiles.js';
import { OAuthService } from '../adapters/anaf/oauth/service.js';
import { SqlVault } from '../secrets/sql-vault.js';
import type { AnafSandbox } from '../sandbox/anaf/server.js';
import { CompanyProfiles } from './company-profiles.js';

export interface OAuthWiring {
  vault: SqlVault;
  service: OAuthService;
  /** The OAuth profile a company's calls use, or undefined (see company-profiles.ts for the precedence). */
  profileOf(cif: string): Promise<string | undefined>;
  /** Bearer token for an ANAF call (the `anaf.token` override, the company's profile, or the sandbox's token). */
  tokenFor(context: CallContext): Promise<string>;
  /** Checks every profile in use and refreshes those due; never throws (problems are logged). */
  refreshDue(): Promise<void>;
  /** Runs refreshDue now and every `oauth.checkIntervalMinutes` until stopped. */
  startRefresher(): void;
  stop(): Promise<void>;
}

export interface OAuthWiringOptions {
  config: EfactConfig;
  store: SqlStore;
  clock: Clock;
  log: EngineLogger;
  companies: readonly CompanyConfig[];
  /** An in-process sandbox: its OAuth host (TLS when started so) replaces logincert. */
  sandbox?: AnafSandbox | null;
  /** Token the sandbox accepts when a company has no profile. */
  sandboxToken?: string | null;
  owner: string;
  env?: NodeJS.ProcessEnv;
}

/** Where the OAuth host is and which CA to trust, for this configuration. */
export function oauthEndpointFor(config: EfactConfig, sandbox?: AnafSandbox | null): AnafOAuthEndpoint {
  if (sandbox) {
    const tls = sandbox.oauth.tls;
    return new AnafOAuthEndpoint(tls ? { baseUrl: tls.url, ca: tls.ca } : { baseUrl: sandbox.url });
  }
  // A sandbox running elsewhere serves OAuth on its own address too, unless oauth.baseUrl names
  // another host (its logincert-like HTTPS host, `efact sandbox --oauth-tls DIR`).
  const explicit = config.oauth.baseUrl !== CONFIG_DEFAULTS.oauth.baseUrl;
  const baseUrl = !explicit && config.sandbox.enabled && config.sandbox.url !== undefined ? config.sandbox.url : config.oauth.baseUrl;
  let ca: string | undefined;
  if (config.oauth.caFile !== undefined) {
    try {
      ca = readFileSync(config.oauth.caFile, 'utf8');
    } catch (e) {
      throw new EfactError('INVALID_CONFIG', `oauth.caFile: cannot read ${config.oauth.caFile}: ${(e as Error).message}`);
    }
  }
  return new AnafOAuthEndpoint({ baseUrl, ...(ca !== undefined ? { ca } : {}), timeoutMs: config.anaf.timeoutSeconds * 1000 });
}

export async function openOAuth(
  options: Omit<OAuthWiringOptions, 'log' | 'sandboxToken' | 'companies'> & { companies?: readonly CompanyConfig[] },
): Promise<{ vault: SqlVault; service: OAuthService; profiles: CompanyProfiles; profileOf: (cif: string) => Promise<string | undefined> }> {
  const { config, store, clock } = options;
  const vault = await SqlVault.open({ db: store.db, dataDir: config.dataDir, env: options.env ?? process.env, now: () => clock.now() });
  const profiles = new CompanyProfiles(store, options.companies ?? config.companies, config.oauth.profile);
  const profileOf = (cif: string): Promise<string | undefined> => profiles.profileOf(cif);
  const service = new OAuthService({
    repo: new OAuthProfileRepository(store.db),
    vault,
    endpoint: oauthEndpointFor(config, options.sandbox),
    clock,
    owner: options.owner,
    settings: {
      refreshDaysBefore: config.oauth.refreshDaysBefore,
      warnDaysBefore: config.oauth.warnDaysBefore,
      refreshTokenDays: config.oauth.refreshTokenDays,
      loginTimeoutMinutes: config.oauth.loginTimeoutMinutes,
    },
    companiesOf: (profile) => profiles.companiesOf(profile),
  });
  return { vault, service, profiles, profileOf };
}

export async function startOAuth(options: OAuthWiringOptions): Promise<OAuthWiring> {
  const { config, log, clock } = options;
  const { vault, service, profiles, profileOf } = await openOAuth(options);
  const stopping = new AbortController();
  let loop: Promise<void> = Promise.resolve();

  const refreshDue = async (): Promise<void> => {
    // Companies of the file and of the store (efact company add, the API) alike.
    const names = new Set<string>();
    try {
      for (const c of await profiles.all()) if (c.profile !== undefined) names.add(c.profile);
    } catch (e) {
      log.warn({ err: e instanceof Error ? e.message : String(e) }, 'ANAF OAuth: could not list the companies to check their tokens');
      return;
    }
    for (const name of names) {
      try {
        const before = await service.status(name);
        if (!before.hasTokens) {
          log.warn({ profile: name, companies: before.companies }, `ANAF OAuth profile ${name} has no tokens: run efact auth login --profile ${name}`);
          continue;
        }
        await service.ensureFresh(name);
        const after = await service.status(name);
        if (after.refreshedAt?.getTime() !== before.refreshedAt?.getTime()) {
          log.info({ profile: name, validUntil: after.accessExpiresAt?.toISOString() }, 'ANAF access token refreshed');
        }
        if (after.state !== 'ok') log.warn({ profile: name, state: after.state }, `ANAF OAuth profile ${name}: ${after.message}`);
      } catch (e) {
        log.warn({ profile: name, err: e instanceof Error ? e.message : String(e) }, `ANAF OAuth profile ${name}: refresh check failed`);
      }
    }
  };

  return {
    vault,
    service,
    profileOf,
    async tokenFor(context) {
      if (config.anaf.token !== undefined) return config.anaf.token;
      const profile = await profileOf(context.companyCif);
      if (profile !== undefined) {
        try {
          return await service.accessToken(profile);
        } catch (e) {
          // No token means no request left: the engine must hold the invoice, never suspect an upload.
          const message = e instanceof Error ? e.message : String(e);
          throw new EfactError('PLATFORM_AUTH', `no ANAF access token for company ${context.companyCif}: ${message}`, {
            details: { profile, uncertain: false },
            cause: e,
          });
        }
      }
      if (options.sandboxToken) return options.sandboxToken;
      throw new EfactError(
        'PLATFORM_AUTH',
        `company ${context.companyCif} has no ANAF OAuth profile: set it with efact company update --cif ${context.companyCif} --oauth-profile NAME (or companies[].oauthProfile / oauth.profile in the configuration), then run efact auth login --company ${context.companyCif}`,
      );
    },
    refreshDue,
    startRefresher() {
      const every = config.oauth.checkIntervalMinutes * 60_000;
      loop = (async () => {
        while (!stopping.signal.aborted) {
          await refreshDue();
          await clock.sleep(every, stopping.signal);
        }
      })();
    },
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
