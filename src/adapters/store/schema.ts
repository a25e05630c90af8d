import type { ColumnType, Generated } from 'kysely';
import type { Environment } from '../../domain/company.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import type { UploadAttempt } from '../../ports/store.js';

/**
 * The tables as Kysely sees them. Column types describe what the *drivers* hand back, which
 * differs between the two databases we target, so every read goes through rows.ts:
 * - 64-bit integers (ids, epoch-millisecond timestamps) are numbers from better-sqlite3 but
 *   strings from node-postgres (int8), hence `DbInt`;
 * - booleans are stored as 0/1 integers in both, because better-sqlite3 cannot bind `true`;
 * - JSON is stored as text (no JSONB-only operators, so one query works on both);
 * - bytes are `blob` in SQLite and `bytea` in PostgreSQL, both read back as a Buffer.
 */
export type DbInt = number | string | bigint;

/** A reference to a surrogate key, written as a number. */
type Ref = ColumnType<DbInt, number, number>;
/** Epoch milliseconds (UTC); never a DATE/TIMESTAMP type, whose semantics differ per database. */
type Millis = ColumnType<DbInt, number, number>;
type NullableMillis = ColumnType<DbInt | null, number | null, number | null>;
/** 0 or 1. */
type Flag = ColumnType<number, 0 | 1, 0 | 1>;
/** A 32-bit counter: a plain number from both drivers. */
type Counter = ColumnType<number, number | undefined, number>;

export interface CompaniesTable {
  id: Generated<DbInt>;
  cif: string;
  short_name: string;
  name: string;
  environment: Environment;
  export_folder: string | null;
  partition_filter: string | null;
  sending_enabled: Flag;
  created_at: Millis;
  updated_at: Millis;
  oauth_profile: ColumnType<string | null, string | null | undefined, string | null>;
  removed_at: ColumnType<DbInt | null, number | null | undefined, number | null>;
}

export interface InvoicesTable {
  id: Generated<DbInt>;
  company_id: Ref;
  environment: Environment;
  status: InvoiceStatus;
  standard: string;
  /** UploadFlags as JSON. */
  flags: string;
  b2c: Flag;
  series: string;
  number: string;
  /** The domain's `invoiceId`: the full cbc:ID of the XML (named apart from the invoice_id foreign keys). */
  document_id: string;
  issue_date: string | null;
  supplier_cif: string | null;
  // Metadata not on the Invoice type yet, kept so nothing intake read is thrown away.
  buyer_cif: string | null;
  customization_id: string | null;
  currency: string | null;
  payable_amount: string | null;
  content_hash: string;
  size_bytes: number;
  origin_channel: string;
  origin_path: string | null;
  origin_computer: string | null;
  origin_user: string | null;
  origin_branch: string | null;
  upload_id: string | null;
  uploaded_at: NullableMillis;
  download_id: string | null;
  resolved_at: NullableMillis;
  downloaded_at: NullableMillis;
  archive_path: string | null;
  /** PlatformMessage[] as JSON. */
  messages: string;
  platform_calls: Counter;
  supersedes_id: ColumnType<DbInt | null, number | null, number | null>;
  next_attempt_at: NullableMillis;
  attempts: Counter;
  last_error: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface InvoiceXmlTable {
  invoice_id: Ref;
  xml: ColumnType<Uint8Array, Uint8Array, never>;
}

export interface InvoiceEventsTable {
  id: Generated<DbInt>;
  invoice_id: Ref;
  at: Millis;
  instance: string;
  from_status: InvoiceStatus | null;
  to_status: InvoiceStatus;
  cause: string;
  /** JSON or null. */
  details: string | null;
}

export interface UploadAttemptsTable {
  id: Generated<DbInt>;
  invoice_id: Ref;
  company_id: Ref;
  environment: Environment;
  instance: string;
  content_hash: string;
  started_at: Millis;
  finished_at: NullableMillis;
  outcome: UploadAttempt['outcome'];
  upload_id: string | null;
  note: string | null;
}

export interface PlatformCallsTable {
  id: Generated<DbInt>;
  at: Millis;
  instance: string;
  platform: string;
  environment: string;
  endpoint: string;
  company_cif: string;
  /** Not a foreign key: the ledger records calls even for ids it cannot vouch for. */
  invoice_id: ColumnType<DbInt | null, number | null, number | null>;
  http_status: number | null;
  duration_ms: number;
  outcome: string;
  message: string | null;
}

export interface IncomingMessagesTable {
  id: Generated<DbInt>;
  company_id: Ref;
  environment: Environment;
  message_id: string;
  upload_id: string;
  kind: string;
  raw_type: string;
  details: string;
  platform_created_at: NullableMillis;
  discovered_at: Millis;
  downloaded_at: NullableMillis;
  archive_path: string | null;
  /** JSON or null. */
  summary: string | null;
}

export interface EngineStateTable {
  key: string;
  value: string;
  updated_at: Millis;
}

/** The server registry (migration 0002). */
export interface ServersTable {
  server_id: number;
  fencing_token: ColumnType<DbInt, number, number>;
  host: string;
  pid: number;
  filter: string | null;
  started_at: Millis;
  heartbeat_at: Millis;
  lease_until: Millis;
  stopped_at: NullableMillis;
  claimed: ColumnType<DbInt, number | undefined, number>;
  uploaded: ColumnType<DbInt, number | undefined, number>;
}

/** Migration 0006: an export folder's file index (ERP-folder round trip). */
export interface ErpFilesTable {
  company_id: Ref;
  path: string;
  size: ColumnType<DbInt, number, number>;
  mtime_ms: ColumnType<number | string, number, number>;
  hash: string;
  outcome: 'taken' | 'rejected';
  invoice_id: ColumnType<DbInt | null, number | null, number | null>;
  code: string | null;
  message: string | null;
  sidecar: string;
  updated_at: Millis;
}

/** Migration 0006: what was last written back beside an invoice's file. */
export interface ErpWritebackTable {
  invoice_id: Ref;
  company_id: Ref;
  written_updated_at: NullableMillis;
  error: string | null;
  error_at: NullableMillis;
  attempts: Counter;
  next_try_at: NullableMillis;
}

export interface ApiKeysTable {
  id: Generated<DbInt>;
  name: string;
  role: string;
  /** JSON array of CIFs, or null for every company. */
  companies: string | null;
  key_hash: string;
  key_prefix: string;
  created_at: Millis;
  last_used_at: NullableMillis;
  revoked_at: NullableMillis;
}

export interface IdempotencyKeysTable {
  principal: string;
  key: string;
  request_hash: string;
  method: string;
  path: string;
  status: number | null;
  content_type: string | null;
  location: string | null;
  body: string | null;
  created_at: Millis;
  expires_at: Millis;
}

/** Failed sign-ins per client address in its current fixed window (migration 0011). */
export interface SignInFailuresTable {
  client: string;
  failures: number;
  window_end: Millis;
}

export interface StoreSchema {
  companies: CompaniesTable;
  invoices: InvoicesTable;
  invoice_xml: InvoiceXmlTable;
  invoice_events: InvoiceEventsTable;
  upload_attempts: UploadAttemptsTable;
  platform_calls: PlatformCallsTable;
  incoming_messages: IncomingMessagesTable;
  engine_state: EngineStateTable;
  servers: ServersTable;
  erp_files: ErpFilesTable;
  erp_writeback: ErpWritebackTable;
  vault_keys: VaultKeysTable;
  secrets: SecretsTable;
  oauth_profiles: OAuthProfilesTable;
  oauth_logins: OAuthLoginsTable;
  api_keys: ApiKeysTable;
  idempotency_keys: IdempotencyKeysTable;
  sign_in_failures: SignInFailuresTable;
  company_leases: CompanyLeasesTable;
  governor_daily: GovernorDailyTable;
}

/** Migration 0009: who does a company-wide chore (e.g. listing its messages) until when. */
export interface CompanyLeasesTable {
  name: string;
  holder: string;
  lease_until: Millis;
  taken_at: Millis;
}

/** ANAF's daily quotas per platform, ANAF day and scope (0003 on PostgreSQL, 0009 on SQLite). */
export interface GovernorDailyTable {
  platform_key: string;
  day: string;
  scope_key: string;
  used: number;
}

/** Master keys by fingerprint: 'active' (one) or 'retired' (migration 0004). */
export interface VaultKeysTable {
  key_id: string;
  state: 'active' | 'retired';
  created_at: Millis;
  retired_at: NullableMillis;
}

/** Named secrets, each an AES-256-GCM envelope. */
export interface SecretsTable {
  name: string;
  envelope: string;
  key_id: string;
  created_at: Millis;
  updated_at: Millis;
}

/** An ANAF OAuth client and its token pair (envelopes). */
export interface OAuthProfilesTable {
  name: string;
  client_id: string;
  redirect_uri: string;
  access_token: string | null;
  refresh_token: string | null;
  key_id: string | null;
  access_expires_at: NullableMillis;
  refresh_expires_at: NullableMillis;
  obtained_at: NullableMillis;
  refreshed_at: NullableMillis;
  token_version: Counter;
  refresh_owner: string | null;
  refresh_until: NullableMillis;
  last_error: string | null;
  created_at: Millis;
  updated_at: Millis;
}

/** Authorization-code logins waiting for ANAF's redirect. */
export interface OAuthLoginsTable {
  state: string;
  profile: string;
  company_cif: string | null;
  created_at: Millis;
  expires_at: Millis;
  completed_at: NullableMillis;
  outcome: string | null;
  message: string | null;
}
