/**
 * What a configuration file may say. Objects are strict so that a typo is an error rather
 * than a silently ignored key. Ranges live on the schemas themselves: `issues.ts` reads them
 * back to tell a person what is allowed, and `.meta({ note })` adds where a range comes from.
 */
import * as z from 'zod';
import { normalizeCif, isValidCif } from '../domain/cif.js';
import { ENVIRONMENTS } from '../domain/company.js';
import { CIF_PLACEHOLDER, CONFIG_DEFAULTS as D, MANUAL_PACING } from './defaults.js';
import { LOG_LEVELS, STORE_SYNC_MODES } from './types.js';

const int = (min: number, max: number) => z.int().min(min).max(max);
const num = (min: number, max: number) => z.number().min(min).max(max);
const note = (text: string) => ({ note: text });
const httpUrl = () => z.url({ protocol: /^https?$/ }).meta(note('an http:// or https:// address'));

export const PACING_NOTE =
  `the manuals' SecundeNext is ${MANUAL_PACING.min}–${MANUAL_PACING.max} s; ` +
  `0–${MANUAL_PACING.min} s only with engine.allowFastPacing: true, meant for the sandbox and benchmarks`;

/** Why a CIF is refused, or null when it is a valid Romanian fiscal code. */
export function cifProblem(value: string): string | null {
  if (value.trim().toUpperCase() === CIF_PLACEHOLDER) {
    return "is a placeholder: write the company's fiscal code (CIF/CUI), e.g. RO12345674 or 12345674";
  }
  if (normalizeCif(value) === null) {
    return 'is not a Romanian CIF (2 to 10 digits, optionally prefixed RO)';
  }
  if (!isValidCif(value)) {
    return "has a wrong check digit (a CIF's last digit is computed from the others with ANAF's key 753217532)";
  }
  return null;
}

const cif = z.string().superRefine((value, ctx) => {
  const problem = cifProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** "" (SQLite in dataDir), "sqlite:PATH" or a PostgreSQL URL. */
const storeUrl = z.string().superRefine((value, ctx) => {
  if (value === '' || /^sqlite:.+/.test(value) || /^postgres(ql)?:\/\/.+/.test(value)) return;
  ctx.addIssue({
    code: 'custom',
    message:
      'is not a supported store ' +
      '(allowed: "" for <dataDir>/efact.db, "sqlite:PATH", "postgres://user:password@host/db")',
  });
});

const company = z.strictObject({
  cif: cif.meta(note('a Romanian CIF, with or without RO')),
  shortName: z.string().min(1).max(40).meta(note("the manuals' NumeSkema")),
  name: z.string().min(1).max(200).meta(note("the manuals' NumeFirma")),
  environment: z.enum(ENVIRONMENTS).default(D.company.environment),
  exportFolder: z.string().min(1).optional(),
  partitionFilter: z.string().min(1).optional().meta(note("the manuals' FiltruSQL")),
  intake: z
    .strictObject({ pathPattern: z.string().min(1).optional().meta(note('e.g. "{branch}/{user}/*.xml"')) })
    .prefault({}),
  // Answers beside the invoice in the export folder; default: on when there is an export folder.
  writeBack: z.boolean().optional().meta(note('answers written beside the invoice in exportFolder (default true)')),
  months: z
    .array(
      z.string().superRefine((value, ctx) => {
        if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) ctx.addIssue({ code: 'custom', message: 'is not a month written yyyy-mm (e.g. 2026-11)' });
      }),
    )
    .optional()
    .meta(note('month folders Efact<yyyy>_<mm> of exportFolder to take; empty or absent: all')),
  flags: z
    .strictObject({
      extern: z.boolean().optional(),
      autofactura: z.boolean().optional(),
      executare: z.boolean().optional(),
    })
    .prefault({}),
  b2c: z.boolean().default(D.company.b2c),
  oauthProfile: z.string().min(1).max(64).optional().meta(note('the OAuth profile (efact auth profile NAME) whose token this company uses')),
  validation: z
    .enum(['block', 'warn', 'off'])
    .optional()
    .meta(note('local EN 16931 + CIUS-RO validation at intake: block (default: a fatal finding keeps the invoice from ANAF), warn (findings kept, sent anyway), off')),
});

export const configSchema = z.strictObject({
  serverId: int(1, 999).meta(note("the manuals' ServerID")).default(D.serverId),
  seats: int(1, 999).meta(note("the manuals' posturi")).default(D.seats),
  serverFilter: z
    .string()
    .min(1)
    .optional()
    .meta(note("this instance's partition filter (FiltruSQL), e.g. branch = 'Iasi'; without one it takes what no live filtered instance covers")),
  serverHeartbeatSeconds: num(0.1, 300).meta(note('how often this instance renews its registration')).default(D.serverHeartbeatSeconds),
  serverLeaseSeconds: num(0.3, 3600)
    .meta(note('how long a registration holds without a heartbeat; at least twice serverHeartbeatSeconds'))
    .default(D.serverLeaseSeconds),
  dataDir: z.string().min(1).default(D.dataDir),
  http: z
    .strictObject({
      host: z.string().min(1).default(D.http.host),
      port: int(0, 65535).default(D.http.port),
      auth: z
        .enum(['auto', 'required'])
        .meta(note('auto: API keys are needed once one exists; required: always (and the server may listen beyond 127.0.0.1)'))
        .default(D.http.auth),
      repeatLimit: z
        .strictObject({
          max: int(1, 100_000).default(D.http.repeatLimit.max),
          windowSeconds: int(1, 3600).default(D.http.repeatLimit.windowSeconds),
        })
        .meta(note('identical GETs (same key, same URL) allowed in the window before 429'))
        .prefault({}),
      signInLimit: z
        .strictObject({
          max: int(1, 10_000).default(D.http.signInLimit.max),
          windowSeconds: int(1, 86_400).default(D.http.signInLimit.windowSeconds),
        })
        .meta(note('requests with a wrong API key allowed per client IP in the window before 429 (counted together by every instance sharing the store)'))
        .prefault({}),
      trustProxy: z
        .union([z.boolean(), int(1, 100), z.string().min(1), z.array(z.string().min(1)).min(1)])
        .meta(
          note(
            'behind a reverse proxy: which proxies to believe about the client address (X-Forwarded-For): true (any: only when nothing reaches Efact but the proxy), a number of hops, or addresses/CIDRs ("127.0.0.1,10.0.0.0/8"); false (default): the connection\'s address',
          ),
        )
        .default(D.http.trustProxy),
    })
    .prefault({}),
  store: z
    .strictObject({
      url: storeUrl.default(D.store.url),
      synchronous: z.enum(STORE_SYNC_MODES).default(D.store.synchronous),
      schema: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/)
        .optional()
        .meta(note('PostgreSQL only: the schema the tables live in, a plain identifier (letters, digits, _); created if missing')),
      poolSize: int(1, 500).meta(note('PostgreSQL only: connections in the pool')).default(D.store.poolSize),
      migrationLockTimeoutSeconds: num(1, 3600)
        .meta(note('PostgreSQL only: how long an instance waits for another one migrating the same schema'))
        .default(D.store.migrationLockTimeoutSeconds),
    })
    .prefault({}),
  anaf: z
    .strictObject({
      apiBaseUrl: httpUrl().default(D.anaf.apiBaseUrl),
      publicBaseUrl: httpUrl().default(D.anaf.publicBaseUrl),
      token: z.string().min(1).optional(),
      timeoutSeconds: num(1, 600).default(D.anaf.timeoutSeconds),
      certificateSerial: z.string().min(1).optional().meta(note("the manuals' Serie_Certif")),
    })
    .prefault({}),
  sandbox: z
    .strictObject({
      // default depends on anaf.token; applied in resolve.ts
      enabled: z.boolean().optional(),
      port: int(0, 65535).default(D.sandbox.port),
      processingDelaySeconds: num(0, 3600).default(D.sandbox.processingDelaySeconds),
      // a sandbox already running elsewhere (`efact sandbox --port N`), shared by several instances
      url: httpUrl().optional(),
    })
    .prefault({}),
  engine: z
    .strictObject({
      pacingSeconds: num(0, MANUAL_PACING.max).meta(note(PACING_NOTE)).default(D.engine.pacingSeconds),
      allowFastPacing: z.boolean().default(D.engine.allowFastPacing),
      idleBackoffMinutes: int(5, 30).meta(note("the manuals' MinuteTimeOut")).default(D.engine.idleBackoffMinutes),
      windowDays: int(1, 90)
        .meta(note("the manuals' ZileBefore; ANAF keeps answers 60 days"))
        .default(D.engine.windowDays),
      concurrency: int(1, 64).default(D.engine.concurrency),
      passIntervalSeconds: num(0, 3600).default(D.engine.passIntervalSeconds),
      uncertainUploadGraceMinutes: num(1, 10080).default(D.engine.uncertainUploadGraceMinutes),
    })
    .prefault({}),
  limits: z
    .strictObject({
      perMinute: z.int().min(1).default(D.limits.perMinute),
      statusPerMessagePerDay: z.int().min(1).default(D.limits.statusPerMessagePerDay),
      downloadsPerMessagePerDay: z.int().min(1).default(D.limits.downloadsPerMessagePerDay),
      simpleListPerCuiPerDay: z.int().min(1).default(D.limits.simpleListPerCuiPerDay),
      pagedListPerCuiPerDay: z.int().min(1).default(D.limits.pagedListPerCuiPerDay),
      raspUploadsPerCuiPerDay: z.int().min(1).default(D.limits.raspUploadsPerCuiPerDay),
      headroom: num(0.1, 1).meta(note('the share of each limit Efact may use')).default(D.limits.headroom),
    })
    .prefault({}),
  oauth: z
    .strictObject({
      baseUrl: httpUrl().default(D.oauth.baseUrl).meta(note('where /anaf-oauth2/v1/{authorize,token,revoke} live')),
      caFile: z.string().min(1).optional().meta(note('extra CA certificates (PEM) to trust for the OAuth host, e.g. a sandbox')),
      profile: z.string().min(1).max(64).optional().meta(note('the OAuth profile of companies that name none')),
      refreshDaysBefore: int(1, 80).default(D.oauth.refreshDaysBefore).meta(note('refresh the access token (~90 days) when fewer days are left')),
      warnDaysBefore: int(1, 80).default(D.oauth.warnDaysBefore),
      refreshTokenDays: int(1, 3650).default(D.oauth.refreshTokenDays).meta(note("assumed refresh-token life when ANAF's answer does not say")),
      checkIntervalMinutes: num(1, 1440).default(D.oauth.checkIntervalMinutes),
      loginTimeoutMinutes: num(1, 60).default(D.oauth.loginTimeoutMinutes),
    })
    .prefault({}),
  validation: z
    .strictObject({
      officialBundle: z
        .string()
        .min(1)
        .optional()
        .meta(note("ANAF's Schematron bundle (a ro16931-ubl-X.zip as ANAF publishes it, its folder, its main .sch or a compiled .xslt) to validate with instead of the built-in rules")),
    })
    .prefault({}),
  companies: z.array(company).default([]),
  // default depends on whether anything is configured; applied in resolve.ts
  demo: z.boolean().optional(),
  logLevel: z.enum(LOG_LEVELS).default(D.logLevel),
});

/** What a file (or an importer) may write: everything optional that has a default. */
export type EfactConfigInput = z.input<typeof configSchema>;
/** Checked but not yet resolved (paths relative, CIFs as written, two defaults pending). */
export type ParsedConfig = z.output<typeof configSchema>;
