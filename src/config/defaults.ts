import { ANAF_PUBLISHED_LIMITS } from '../adapters/anaf/limits.js';

/**
 * Defaults: with no file at all they give a working embedded set-up (SQLite in ./efact-data,
 * the built-in ANAF sandbox, demo data). Two defaults depend on other keys and are applied by
 * `resolve.ts`: `sandbox.enabled` (on unless an ANAF token is configured) and `demo` (on
 * unless a file or a company is configured).
 */
export const CONFIG_DEFAULTS = {
  serverId: 1,
  seats: 1,
  serverHeartbeatSeconds: 10,
  serverLeaseSeconds: 30,
  dataDir: './efact-data',
  http: {
    host: '127.0.0.1',
    port: 8080,
    auth: 'auto',
    // an ERP asking the same thing more than once a second for a minute is in a loop
    repeatLimit: { max: 60, windowSeconds: 60 },
    signInLimit: { max: 10, windowSeconds: 300 },
    // no reverse proxy is assumed: X-Forwarded-For is not believed
    trustProxy: false,
  },
  store: { url: '', synchronous: 'FULL', poolSize: 10, migrationLockTimeoutSeconds: 120 },
  anaf: {
    apiBaseUrl: 'https://api.anaf.ro',
    publicBaseUrl: 'https://webservicesp.anaf.ro',
    timeoutSeconds: 60,
  },
  sandbox: { port: 0, processingDelaySeconds: 2 },
  oauth: {
    baseUrl: 'https://logincert.anaf.ro',
    refreshDaysBefore: 30,
    warnDaysBefore: 14,
    refreshTokenDays: 365,
    checkIntervalMinutes: 60,
    loginTimeoutMinutes: 10,
  },
  engine: {
    pacingSeconds: 2,
    allowFastPacing: false,
    idleBackoffMinutes: 5,
    // ANAF keeps answers 60 days; tracking an invoice longer finds nothing to download
    windowDays: 60,
    concurrency: 4,
    passIntervalSeconds: 10,
    uncertainUploadGraceMinutes: 60,
  },
  // ANAF's published limits, ../shared/reference/anaf-api/limiteApeluriAPI.txt
  limits: ANAF_PUBLISHED_LIMITS,
  company: { environment: 'test', b2c: false },
  logLevel: 'info',
} as const;

/** The SQLite file used when `store.url` is empty, inside `dataDir`. */
export const DEFAULT_DB_FILE = 'efact.db';

/** Manual bounds of SecundeNext; below the minimum only with engine.allowFastPacing. */
export const MANUAL_PACING = { min: 2, max: 10 } as const;

/** Written by the INI import where the manuals' INI has no CIF; fails validation until replaced. */
export const CIF_PLACEHOLDER = 'FILL-IN';
