/**
 * The resolved configuration of one Efact instance: every default applied, every relative
 * path made absolute, every CIF reduced to its digits. Code outside `src/config/` reads only
 * this shape; the file a person writes is checked by `schema.ts` and resolved by `resolve.ts`.
 */
import type { Environment } from '../domain/company.js';
import type { CallLimits } from '../adapters/anaf/limits.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** SQLite's `synchronous` pragma: FULL survives power loss, NORMAL may lose the last commits. */
export const STORE_SYNC_MODES = ['FULL', 'NORMAL'] as const;
export type StoreSyncMode = (typeof STORE_SYNC_MODES)[number];

/** Upload flags ANAF accepts on `upload` (query parameters extern, autofactura, executare). */
export interface UploadFlags {
  extern?: boolean;
  autofactura?: boolean;
  executare?: boolean;
}

/** One tenant (the manuals' NumeSkemaN / NumeFirmaN / FiltruSQLN). */
export interface CompanyConfig {
  /** Digits only, without RO (ANAF refuses prefixed CIFs). */
  cif: string;
  shortName: string;
  name: string;
  environment: Environment;
  /** Absolute folder the ERP writes invoice XML into, when watched. */
  exportFolder?: string;
  /** The manuals' FiltruSQL, as text; compiled by the partition-filter language. */
  partitionFilter?: string;
  intake: {
    /** How to read metadata from a file's path below the export folder, e.g. "{branch}/{user}/*.xml". */
    pathPattern?: string;
  };
  flags: UploadFlags;
  /**
   * Whether answers are written beside the invoice in the export folder (errors file, status
   * JSON, ANAF's ZIP). Absent: on when there is an export folder.
   */
  writeBack?: boolean;
  /** Month folders (`yyyy-mm`, the manuals' Efact<yyyy>_<mm>) of the export folder to take; absent or empty: all. */
  months?: string[];
  /** Invoices to consumers (B2C), sent without a buyer CIF. */
  b2c: boolean;
  /** The OAuth profile whose token this company's calls carry (else `oauth.profile`). */
  oauthProfile?: string;
  /** Local validation at intake: 'block' (default), 'warn' or 'off'. */
  validation?: 'block' | 'warn' | 'off';
}

export interface EfactConfig {
  /** The manuals' ServerID: this instance's number, unique among live instances. */
  serverId: number;
  /** How many instances may run at once (the manuals' posturi). */
  seats: number;
  /** This instance's partition filter (FiltruSQL text, checked at load); absent: it takes what no live filtered instance covers. */
  serverFilter?: string;
  /** How often the registration's lease is renewed. */
  serverHeartbeatSeconds: number;
  /** How long a registration holds without a heartbeat (another instance may then take the id). */
  serverLeaseSeconds: number;
  /** Absolute. */
  dataDir: string;
  http: {
    host: string;
    port: number;
    /** 'auto': API keys needed once one exists; 'required': always. */
    auth: 'auto' | 'required';
    /** Identical GETs (same caller, same URL) allowed per window before 429. */
    repeatLimit: { max: number; windowSeconds: number };
    /** Requests with a wrong API key allowed per client IP per window before 429. */
    signInLimit: { max: number; windowSeconds: number };
    /** Fastify's trustProxy: which proxies' X-Forwarded-For gives the client address (false: none). */
    trustProxy: boolean | number | string | string[];
  };
  store: {
    /** "sqlite:/absolute/path.db" (the default lives in dataDir) or "postgres://...". */
    url: string;
    synchronous: StoreSyncMode;
    /** PostgreSQL: the schema of the tables (default: the server's search_path, usually public). */
    schema?: string;
    /** PostgreSQL: connections in the pool. */
    poolSize: number;
    /** PostgreSQL: longest wait for the migration lock held by another instance. */
    migrationLockTimeoutSeconds: number;
  };
  anaf: {
    apiBaseUrl: string;
    publicBaseUrl: string;
    token?: string;
    timeoutSeconds: number;
    /** The manuals' Serie_Certif, kept for reference only. */
    certificateSerial?: string;
  };
  sandbox: {
    enabled: boolean;
    port: number;
    processingDelaySeconds: number;
    /** Use a sandbox already running at this address instead of starting one in-process. */
    url?: string;
  };
  engine: {
    /** The manuals' SecundeNext: least gap between two platform calls. */
    pacingSeconds: number;
    allowFastPacing: boolean;
    /** The manuals' MinuteTimeOut. */
    idleBackoffMinutes: number;
    /** The manuals' ZileBefore. */
    windowDays: number;
    concurrency: number;
    passIntervalSeconds: number;
    uncertainUploadGraceMinutes: number;
  };
  /** ANAF OAuth: where logincert lives and when tokens are refreshed and warned about. */
  oauth: {
    baseUrl: string;
    /** Absolute path of extra CA certificates (PEM) for the OAuth host. */
    caFile?: string;
    profile?: string;
    refreshDaysBefore: number;
    warnDaysBefore: number;
    refreshTokenDays: number;
    checkIntervalMinutes: number;
    loginTimeoutMinutes: number;
  };
  /** ANAF's published call limits (limiteApeluriAPI.txt) and the share of them Efact may use. */
  limits: CallLimits;
  validation: {
    /** Absolute path of ANAF's bundle (zip, folder, .sch or compiled .xslt): validate with it instead of the built-in rules. */
    officialBundle?: string;
  };
  companies: CompanyConfig[];
  /** Seed demo companies and invoices (on when nothing at all is configured). */
  demo: boolean;
  logLevel: LogLevel;
}

/**
 * Every key optional, at every depth. Arrays are replaced whole when layers merge; their
 * items are partial too because the schema fills an item's defaults.
 */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
