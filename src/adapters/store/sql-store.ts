import type { Kysely } from 'kysely';
import type { Company, Environment } from '../../domain/company.js';
import type { Invoice } from '../../domain/invoice.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import type { PlatformCallRecord } from '../../ports/call-ledger.js';
import type { ApiKey } from '../../domain/access.js';
import type {
  ChangeCause,
  CompanyInput,
  CompanyPatch,
  IdempotencyClaim,
  SignInFailures,
  IdempotencyRecord,
  NewApiKey,
  IncomingMessage,
  IncomingMessageInput,
  IntakeResult,
  FeedEvent,
  GridFilter,
  GridPage,
  GridQuery,
  InvoiceEvent,
  InvoiceQuery,
  NewInvoice,
  StatusCount,
  Store,
  TransitionRequest,
  UploadAttempt,
} from '../../ports/store.js';
import type { RemovedRegistration, ServerRegistry } from '../../ports/server-registry.js';
import type { RegisterServerInput, ServerRegistration } from '../../domain/server-registry.js';
import * as apiKeys from './api-keys.js';
import * as attempts from './attempts.js';
import * as idempotency from './idempotency.js';
import * as signIns from './sign-in-failures.js';
import * as claims from './claims.js';
import * as companyLeases from './company-leases.js';
import * as downloadClaims from './download-claims.js';
import { timedClaim } from './claim-metrics.js';
import * as companies from './companies.js';
import type { StoreContext } from './context.js';
import type { DialectTraits } from './dialect.js';
import * as engineState from './engine-state.js';
import * as incoming from './incoming.js';
import { intake } from './intake.js';
import * as reads from './invoice-reads.js';
import * as grid from './invoice-grid.js';
import * as ledger from './ledger.js';
import * as quotaDays from './quota-days.js';
import { migrateToLatest } from './migrations/index.js';
import { promoteToProd } from './promote.js';
import { TemplateCache } from './query-template.js';
import * as registry from './registry.js';
import { notifyWakeIn } from './wake-listener.js';
import type { WakeChannel } from '../../ports/wake-channel.js';
import type { QuotaDayStore } from '../../ports/rate-governor.js';
import type { StoreSchema } from './schema.js';
import { transition } from './transitions.js';

/**
 * The Store port over Kysely, for every dialect: this class only routes each method to the
 * module that holds its queries. Database specifics live in the opener (sqlite.ts,
 * postgres.ts) and in DialectTraits.
 */
/** What an opener may add: a wrapped migration run, a LISTEN connection for wake-ups. */
export interface StoreHooks {
  migrate?: () => Promise<void>;
  listen?: (listener: (companyId: number | null) => void) => Promise<() => Promise<void>>;
}

export class SqlStore implements Store, ServerRegistry, WakeChannel, QuotaDayStore {
  readonly #ctx: StoreContext;
  readonly #migrate: () => Promise<void>;
  readonly #listen: StoreHooks['listen'];
  readonly #listeners = new Set<() => Promise<void>>();
  #closed = false;

  /**
   * `hooks.migrate` replaces the plain migration run when the opener must wrap it (PostgreSQL
   * holds an advisory lock around it so that instances starting together queue); `hooks.listen`
   * opens a LISTEN connection for wake-ups (PostgreSQL).
   */
  constructor(db: Kysely<StoreSchema>, traits: DialectTraits, now: () => Date, hooks: StoreHooks = {}) {
    this.#ctx = { db, traits, now, templates: new TemplateCache(), session: null };
    this.#migrate = hooks.migrate ?? (() => migrateToLatest(db, traits.name));
    this.#listen = hooks.listen;
  }

  /** The query builder, for tools and tests that need a look underneath (query plans, counts). */
  get db(): Kysely<StoreSchema> {
    return this.#ctx.db;
  }

  migrate(): Promise<void> {
    return this.#migrate();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const stop of [...this.#listeners]) await stop();
    await this.#ctx.db.destroy();
  }

  upsertCompany(input: CompanyInput): Promise<Company> {
    return companies.upsertCompany(this.#ctx, input);
  }
  listCompanies(options?: { includeRemoved?: boolean }): Promise<Company[]> {
    return companies.listCompanies(this.#ctx, options);
  }
  getCompanyByCif(cif: string): Promise<Company | null> {
    return companies.getCompanyByCif(this.#ctx, cif);
  }
  getCompany(id: number): Promise<Company | null> {
    return companies.getCompany(this.#ctx, id);
  }
  setSendingEnabled(companyId: number, enabled: boolean): Promise<void> {
    return companies.setSendingEnabled(this.#ctx, companyId, enabled);
  }
  updateCompany(companyId: number, patch: CompanyPatch): Promise<Company> {
    return companies.updateCompany(this.#ctx, companyId, patch);
  }
  setCompanyRemoved(companyId: number, removedAt: Date | null): Promise<Company> {
    return companies.setCompanyRemoved(this.#ctx, companyId, removedAt);
  }

  createApiKey(input: NewApiKey): Promise<ApiKey> {
    return apiKeys.createApiKey(this.#ctx, input);
  }
  listApiKeys(): Promise<ApiKey[]> {
    return apiKeys.listApiKeys(this.#ctx);
  }
  findApiKeyByHash(hash: string, usedAt?: Date): Promise<ApiKey | null> {
    return apiKeys.findApiKeyByHash(this.#ctx, hash, usedAt);
  }
  revokeApiKey(idOrName: number | string, at: Date): Promise<ApiKey | null> {
    return apiKeys.revokeApiKey(this.#ctx, idOrName, at);
  }
  hasApiKeys(): Promise<boolean> {
    return apiKeys.hasApiKeys(this.#ctx);
  }

  claimIdempotencyKey(
    record: Pick<IdempotencyRecord, 'principal' | 'key' | 'requestHash' | 'method' | 'path' | 'createdAt' | 'expiresAt'>,
  ): Promise<IdempotencyClaim> {
    return idempotency.claimIdempotencyKey(this.#ctx, record);
  }
  completeIdempotencyKey(
    principal: string,
    key: string,
    answer: Pick<IdempotencyRecord, 'status' | 'contentType' | 'location' | 'body'>,
  ): Promise<void> {
    return idempotency.completeIdempotencyKey(this.#ctx, principal, key, answer);
  }
  releaseIdempotencyKey(principal: string, key: string): Promise<void> {
    return idempotency.releaseIdempotencyKey(this.#ctx, principal, key);
  }
  purgeIdempotencyKeys(now: Date): Promise<number> {
    return idempotency.purgeIdempotencyKeys(this.#ctx, now);
  }

  recordSignInFailure(client: string, at: Date, windowMs: number): Promise<SignInFailures> {
    return signIns.recordSignInFailure(this.#ctx, client, at, windowMs);
  }
  signInFailures(client: string, at: Date): Promise<SignInFailures | null> {
    return signIns.signInFailures(this.#ctx, client, at);
  }
  purgeSignInFailures(at: Date): Promise<number> {
    return signIns.purgeSignInFailures(this.#ctx, at);
  }

  intake(invoice: NewInvoice, cause: ChangeCause): Promise<IntakeResult> {
    return intake(this.#ctx, invoice, cause);
  }

  getInvoice(id: number): Promise<Invoice | null> {
    return reads.getInvoice(this.#ctx, id);
  }
  getInvoiceXml(id: number): Promise<Uint8Array | null> {
    return reads.getInvoiceXml(this.#ctx, id);
  }
  listInvoices(query: InvoiceQuery): Promise<Invoice[]> {
    return reads.listInvoices(this.#ctx, query);
  }
  countByStatus(companyId?: number): Promise<StatusCount[]> {
    return reads.countByStatus(this.#ctx, companyId);
  }
  listEvents(invoiceId: number): Promise<InvoiceEvent[]> {
    return reads.listEvents(this.#ctx, invoiceId);
  }
  findByUploadIds(companyId: number, environment: Environment, uploadIds: string[]): Promise<Invoice[]> {
    return reads.findByUploadIds(this.#ctx, companyId, environment, uploadIds);
  }

  claimForUpload(
    companyId: number,
    environment: Environment,
    limit: number,
    now: Date,
    cause: ChangeCause,
  ): Promise<Array<{ invoice: Invoice; attempt: UploadAttempt }>> {
    return timedClaim('upload', () => claims.claimForUpload(this.#ctx, companyId, environment, limit, now, cause));
  }
  claimForDownload(companyId: number, environment: Environment, limit: number, now: Date, leaseMs: number): Promise<Invoice[]> {
    return timedClaim('download', () => downloadClaims.claimForDownload(this.#ctx, companyId, environment, limit, now, leaseMs));
  }
  transition(requests: TransitionRequest[]): Promise<Array<Invoice | null>> {
    return transition(this.#ctx, requests);
  }
  finishAttempt(
    attemptId: number,
    outcome: UploadAttempt['outcome'],
    uploadId: string | null,
    note: string | null,
    at: Date,
  ): Promise<void> {
    return attempts.finishAttempt(this.#ctx, attemptId, outcome, uploadId, note, at);
  }
  markAttemptSending(attemptId: number, at: Date): Promise<boolean> {
    return claims.markAttemptSending(this.#ctx, attemptId, at);
  }
  releaseClaims(query: claims.ReleaseClaimsQuery, cause: ChangeCause): Promise<number[]> {
    return claims.releaseClaims(this.#ctx, query, cause);
  }
  listOpenAttempts(): Promise<UploadAttempt[]> {
    return attempts.listOpenAttempts(this.#ctx);
  }
  listAttempts(invoiceId: number): Promise<UploadAttempt[]> {
    return attempts.listAttempts(this.#ctx, invoiceId);
  }
  promoteToProd(companyId: number, cause: ChangeCause): Promise<number> {
    return promoteToProd(this.#ctx, companyId, cause);
  }

  recordCalls(calls: PlatformCallRecord[]): Promise<void> {
    return ledger.recordCalls(this.#ctx, calls);
  }
  countCalls(filter: { invoiceId?: number; companyCif?: string; since?: Date }): Promise<number> {
    return ledger.countCalls(this.#ctx, filter);
  }

  addIncomingMessages(messages: IncomingMessageInput[]): Promise<IncomingMessage[]> {
    return incoming.addIncomingMessages(this.#ctx, messages);
  }
  listIncomingMessages(companyId: number, limit: number): Promise<IncomingMessage[]> {
    return incoming.listIncomingMessages(this.#ctx, companyId, limit);
  }
  markIncomingDownloaded(id: number, archivePath: string, summary: Record<string, unknown> | null, at: Date): Promise<void> {
    return incoming.markIncomingDownloaded(this.#ctx, id, archivePath, summary, at);
  }

  registerServer(input: RegisterServerInput): Promise<ServerRegistration> {
    return registry.registerServer(this.#ctx, input);
  }
  heartbeat(): Promise<ServerRegistration> {
    return registry.heartbeat(this.#ctx);
  }
  deregisterServer(): Promise<void> {
    return registry.deregisterServer(this.#ctx);
  }
  listServers(): Promise<ServerRegistration[]> {
    return registry.listServers(this.#ctx);
  }
  syncServers(options: { seats: number; staleAfterMs: number }): Promise<RemovedRegistration[]> {
    return registry.syncServers(this.#ctx, options);
  }
  currentServer(): { serverId: number; fencingToken: number; filter: string | null } | null {
    return registry.currentServer(this.#ctx);
  }

  async notifyWake(companyId: number): Promise<void> {
    if (this.#ctx.traits.wakeNotify) await notifyWakeIn(this.#ctx.db, companyId);
  }
  async listenWakes(listener: (companyId: number | null) => void): Promise<() => Promise<void>> {
    if (this.#listen === undefined) return async () => undefined;
    const stopListening = await this.#listen(listener);
    const stop = async (): Promise<void> => {
      if (!this.#listeners.delete(stop)) return;
      await stopListening();
    };
    this.#listeners.add(stop);
    return stop;
  }
  queryGrid(query: GridQuery): Promise<GridPage> {
    return grid.queryGrid(this.#ctx, query);
  }
  countGrid(filter: GridFilter, cap: number): Promise<{ count: number; capped: boolean }> {
    return grid.countGrid(this.#ctx, filter, cap);
  }
  invoicesPerDay(companyId: number | undefined, since: Date): Promise<Array<{ day: string; status: InvoiceStatus; count: number }>> {
    return grid.invoicesPerDay(this.#ctx, companyId, since);
  }
  callsPerMinute(since: Date): Promise<Array<{ minute: Date; count: number }>> {
    return grid.callsPerMinute(this.#ctx, since);
  }
  listEventsSince(afterId: number, limit: number): Promise<FeedEvent[]> {
    return grid.listEventsSince(this.#ctx, afterId, limit);
  }
  lastEventId(): Promise<number> {
    return grid.lastEventId(this.#ctx);
  }

  takeCompanyLease(name: string, holder: string, leaseMs: number): Promise<boolean> {
    return companyLeases.takeCompanyLease(this.#ctx, name, holder, leaseMs);
  }
  releaseCompanyLease(name: string, holder: string): Promise<void> {
    return companyLeases.releaseCompanyLease(this.#ctx, name, holder);
  }

  loadQuotaDay(platformKey: string, day: string): Promise<Array<{ scopeKey: string; used: number }>> {
    return quotaDays.loadQuotaDay(this.#ctx, platformKey, day);
  }
  saveQuotaCount(platformKey: string, day: string, scopeKey: string, used: number): Promise<void> {
    return quotaDays.saveQuotaCount(this.#ctx, platformKey, day, scopeKey, used);
  }

  getState(key: string): Promise<string | null> {
    return engineState.getState(this.#ctx, key);
  }
  setState(key: string, value: string): Promise<void> {
    return engineState.setState(this.#ctx, key, value);
  }
  deleteStateBefore(prefix: string, before: Date): Promise<number> {
    return engineState.deleteStateBefore(this.#ctx, prefix, before);
  }

}
