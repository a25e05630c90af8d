/**
 * An in-memory Store with just what the API routes call; the rest is missing, so a route that starts
 * needing more is noticed at once. Intake follows the real contract: duplicate by content hash,
 * supersede a nok / invalid / needs-attention / queued file of the same series and number,
 * conflict with one already at the platform.
 */
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import type { Company } from '../../domain/company.js';
import type { ApiKey } from '../../domain/access.js';
import { EfactError } from '../../domain/errors.js';
import type { Invoice } from '../../domain/invoice.js';
import { SUPERSEDABLE_STATUSES } from '../../domain/invoice-status.js';
import type {
  CompanyInput,
  CompanyPatch,
  IdempotencyClaim,
  SignInFailures,
  IdempotencyRecord,
  NewApiKey,
  ChangeCause,
  IntakeResult,
  InvoiceEvent,
  InvoiceQuery,
  NewInvoice,
  StatusCount,
  Store,
  UploadAttempt,
  GridQuery,
  GridPage,
  GridFilter,
  FeedEvent,
  TransitionRequest,
} from '../../ports/store.js';
import type { Environment } from '../../domain/company.js';

const EPOCH = new Date('2025-03-01T08:00:00.000Z');

export class FakeStore {
  readonly companies: Company[] = [];
  readonly invoices: Invoice[] = [];
  readonly xml = new Map<number, Uint8Array>();
  readonly events: InvoiceEvent[] = [];
  readonly attempts: UploadAttempt[] = [];
  readonly causes: ChangeCause[] = [];
  private nextId = 1;

  addCompany(c: Partial<Company> & { cif: string }): Company {
    const company: Company = {
      id: this.companies.length + 1,
      shortName: `C${this.companies.length + 1}`,
      name: `Company ${this.companies.length + 1} SRL`,
      environment: 'test',
      exportFolder: null,
      partitionFilter: null,
      sendingEnabled: true,
      oauthProfile: null,
      removedAt: null,
      createdAt: EPOCH,
      updatedAt: EPOCH,
      ...c,
    };
    this.companies.push(company);
    return company;
  }

  addInvoice(companyId: number, p: Partial<Invoice> = {}, xml = '<Invoice/>'): Invoice {
    const id = this.nextId++;
    const invoice: Invoice = {
      id,
      companyId,
      environment: 'test',
      status: 'queued',
      standard: 'UBL',
      flags: {},
      b2c: false,
      series: 'F',
      number: String(id),
      invoiceId: `F${id}`,
      issueDate: '2025-03-01',
      supplierCif: null,
      contentHash: `hash-${id}`,
      sizeBytes: xml.length,
      origin: { channel: 'folder', sourcePath: null, computer: null, user: null, branch: null },
      uploadId: null,
      uploadedAt: null,
      downloadId: null,
      resolvedAt: null,
      downloadedAt: null,
      archivePath: null,
      messages: [],
      platformCalls: 0,
      supersedesId: null,
      nextAttemptAt: null,
      attempts: 0,
      lastError: null,
      createdAt: new Date(EPOCH.getTime() + id * 60_000),
      updatedAt: new Date(EPOCH.getTime() + id * 60_000),
      ...p,
    };
    this.invoices.push(invoice);
    this.xml.set(id, new TextEncoder().encode(xml));
    return invoice;
  }

  async listCompanies(options: { includeRemoved?: boolean } = {}): Promise<Company[]> {
    return this.companies.filter((c) => options.includeRemoved === true || !c.removedAt);
  }
  async upsertCompany(input: CompanyInput): Promise<Company> {
    const existing = this.companies.find((c) => c.cif === input.cif);
    if (!existing) {
      return this.addCompany({
        cif: input.cif,
        shortName: input.shortName,
        name: input.name,
        environment: input.environment,
        exportFolder: input.exportFolder ?? null,
        partitionFilter: input.partitionFilter ?? null,
        oauthProfile: input.oauthProfile ?? null,
      });
    }
    Object.assign(existing, { shortName: input.shortName, name: input.name, environment: input.environment, removedAt: null });
    if (input.exportFolder !== undefined) existing.exportFolder = input.exportFolder;
    if (input.partitionFilter !== undefined) existing.partitionFilter = input.partitionFilter;
    if (input.oauthProfile !== undefined) existing.oauthProfile = input.oauthProfile;
    return { ...existing };
  }
  async updateCompany(id: number, patch: CompanyPatch): Promise<Company> {
    const c = this.companies.find((x) => x.id === id);
    if (!c) throw new EfactError('UNKNOWN_COMPANY', `no company with id ${id}`);
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) (c as unknown as Record<string, unknown>)[k] = v;
    return { ...c };
  }
  async setCompanyRemoved(id: number, removedAt: Date | null): Promise<Company> {
    const c = this.companies.find((x) => x.id === id);
    if (!c) throw new EfactError('UNKNOWN_COMPANY', `no company with id ${id}`);
    c.removedAt = removedAt;
    return { ...c };
  }

  async promoteToProd(companyId: number, cause: ChangeCause): Promise<number> {
    this.causes.push(cause);
    const company = this.companies.find((c) => c.id === companyId);
    if (company) company.environment = 'prod';
    const moved = this.invoices.filter((i) => i.companyId === companyId && i.environment === 'test');
    for (const i of moved) Object.assign(i, { environment: 'prod', status: 'queued', uploadId: null, downloadId: null });
    return moved.length;
  }

  readonly apiKeys: Array<ApiKey & { hash: string }> = [];
  async createApiKey(input: NewApiKey): Promise<ApiKey> {
    if (this.apiKeys.some((k) => k.name === input.name)) throw new EfactError('CONFLICT', `an API key named "${input.name}" already exists`);
    const key = {
      id: this.apiKeys.length + 1,
      name: input.name,
      role: input.role,
      companies: input.companies,
      prefix: input.prefix,
      hash: input.hash,
      createdAt: EPOCH,
      lastUsedAt: null,
      revokedAt: null,
    };
    this.apiKeys.push(key);
    return this.publicKey(key);
  }
  private publicKey(k: ApiKey & { hash: string }): ApiKey {
    const { hash: _hash, ...rest } = k;
    return { ...rest };
  }
  async listApiKeys(): Promise<ApiKey[]> {
    return this.apiKeys.map((k) => this.publicKey(k));
  }
  async findApiKeyByHash(hash: string): Promise<ApiKey | null> {
    const k = this.apiKeys.find((x) => x.hash === hash);
    return k ? this.publicKey(k) : null;
  }
  async revokeApiKey(idOrName: number | string, at: Date): Promise<ApiKey | null> {
    const k = this.apiKeys.find((x) => (typeof idOrName === 'number' ? x.id === idOrName : x.name === idOrName));
    if (!k) return null;
    k.revokedAt ??= at;
    return this.publicKey(k);
  }
  async hasApiKeys(): Promise<boolean> {
    return this.apiKeys.length > 0;
  }

  readonly idempotency = new Map<string, IdempotencyRecord>();
  async claimIdempotencyKey(
    r: Pick<IdempotencyRecord, 'principal' | 'key' | 'requestHash' | 'method' | 'path' | 'createdAt' | 'expiresAt'>,
  ): Promise<IdempotencyClaim> {
    const id = `${r.principal}\n${r.key}`;
    const seen = this.idempotency.get(id);
    if (seen && seen.expiresAt > r.createdAt) return { kind: 'seen', record: { ...seen } };
    this.idempotency.set(id, { ...r, status: null, contentType: null, location: null, body: null });
    return { kind: 'claimed' };
  }
  async completeIdempotencyKey(principal: string, key: string, a: Pick<IdempotencyRecord, 'status' | 'contentType' | 'location' | 'body'>): Promise<void> {
    const r = this.idempotency.get(`${principal}\n${key}`);
    if (r) Object.assign(r, a);
  }
  async releaseIdempotencyKey(principal: string, key: string): Promise<void> {
    this.idempotency.delete(`${principal}\n${key}`);
  }
  async purgeIdempotencyKeys(now: Date): Promise<number> {
    let n = 0;
    for (const [id, r] of this.idempotency) if (r.expiresAt <= now) (this.idempotency.delete(id), n++);
    return n;
  }
  readonly signInFailureRows = new Map<string, SignInFailures>();
  async recordSignInFailure(client: string, at: Date, windowMs: number): Promise<SignInFailures> {
    const row = this.signInFailureRows.get(client);
    const next = row && row.windowEndsAt > at ? { ...row, count: row.count + 1 } : { count: 1, windowEndsAt: new Date(at.getTime() + windowMs) };
    this.signInFailureRows.set(client, next);
    return { ...next };
  }
  async signInFailures(client: string, at: Date): Promise<SignInFailures | null> {
    const row = this.signInFailureRows.get(client);
    return row && row.windowEndsAt > at ? { ...row } : null;
  }
  async purgeSignInFailures(at: Date): Promise<number> {
    let n = 0;
    for (const [c, r] of this.signInFailureRows) if (r.windowEndsAt <= at) (this.signInFailureRows.delete(c), n++);
    return n;
  }
  async getCompanyByCif(cif: string): Promise<Company | null> {
    return this.companies.find((c) => c.cif === cif) ?? null;
  }
  async getCompany(id: number): Promise<Company | null> {
    return this.companies.find((c) => c.id === id) ?? null;
  }

  async intake(n: NewInvoice, cause: ChangeCause): Promise<IntakeResult> {
    this.causes.push(cause);
    const same = this.invoices.filter((i) => i.companyId === n.companyId && i.environment === n.environment);
    const dup = same.find((i) => i.contentHash === n.contentHash);
    if (dup) return { kind: 'duplicate', invoice: dup };
    const rival = same.find(
      (i) => i.series === n.metadata.series && i.number === n.metadata.number && i.status !== 'superseded',
    );
    if (rival && !SUPERSEDABLE_STATUSES.includes(rival.status) && rival.status !== 'queued') {
      return { kind: 'conflict', existing: rival };
    }
    const invoice = this.addInvoice(
      n.companyId,
      {
        environment: n.environment,
        standard: n.metadata.standard,
        series: n.metadata.series,
        number: n.metadata.number,
        invoiceId: n.metadata.invoiceId,
        issueDate: n.metadata.issueDate,
        supplierCif: n.metadata.supplierCif,
        flags: n.flags,
        b2c: n.b2c,
        contentHash: n.contentHash,
        sizeBytes: n.xml.byteLength,
        origin: n.origin,
        supersedesId: rival?.id ?? null,
        status: n.rejected === true ? 'invalid' : 'queued',
        messages: n.messages ?? [],
      },
      new TextDecoder().decode(n.xml),
    );
    if (!rival) return { kind: 'created', invoice };
    rival.status = 'superseded';
    return { kind: 'superseded', invoice, replaced: rival };
  }

  async getInvoice(id: number): Promise<Invoice | null> {
    return this.invoices.find((i) => i.id === id) ?? null;
  }
  async getInvoiceXml(id: number): Promise<Uint8Array | null> {
    return this.xml.get(id) ?? null;
  }

  lastQuery: InvoiceQuery | null = null;
  async listInvoices(q: InvoiceQuery): Promise<Invoice[]> {
    this.lastQuery = q;
    const statuses = q.status === undefined ? null : Array.isArray(q.status) ? q.status : [q.status];
    return this.invoices
      .filter(
        (i) =>
          (q.companyId === undefined || i.companyId === q.companyId) &&
          (q.companyIds === undefined || q.companyIds.includes(i.companyId)) &&
          (q.environment === undefined || i.environment === q.environment) &&
          (statuses === null || statuses.includes(i.status)) &&
          (q.series === undefined || i.series === q.series) &&
          (q.number === undefined || i.number === q.number) &&
          (q.from === undefined || i.createdAt >= q.from) &&
          (q.to === undefined || i.createdAt <= q.to) &&
          (q.afterId === undefined || i.id > q.afterId),
      )
      .sort((a, b) => a.id - b.id)
      .slice(0, q.limit);
  }

  async countByStatus(companyId?: number): Promise<StatusCount[]> {
    const counts = new Map<string, StatusCount>();
    for (const i of this.invoices) {
      if (companyId !== undefined && i.companyId !== companyId) continue;
      const key = `${i.companyId}/${i.environment}/${i.status}`;
      const row = counts.get(key) ?? { companyId: i.companyId, environment: i.environment, status: i.status, count: 0 };
      row.count += 1;
      counts.set(key, row);
    }
    return [...counts.values()];
  }

  /** Compare-and-set per request, as the real store; the patch's plain fields are applied. */
  async transition(requests: TransitionRequest[]): Promise<Array<Invoice | null>> {
    return requests.map((r) => {
      const invoice = this.invoices.find((i) => i.id === r.invoiceId);
      if (!invoice || invoice.status !== r.from) return null;
      const { addPlatformCalls, addAttempts, ...fields } = r.patch ?? {};
      const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      Object.assign(invoice, defined, { status: r.to });
      invoice.platformCalls += addPlatformCalls ?? 0;
      invoice.attempts += addAttempts ?? 0;
      this.causes.push(r.cause);
      return invoice;
    });
  }
  async findByUploadIds(companyId: number, environment: Environment, uploadIds: string[]): Promise<Invoice[]> {
    return this.invoices.filter((i) => i.companyId === companyId && i.environment === environment && i.uploadId !== null && uploadIds.includes(i.uploadId));
  }

  async listEvents(invoiceId: number): Promise<InvoiceEvent[]> {
    return this.events.filter((e) => e.invoiceId === invoiceId);
  }
  async listAttempts(invoiceId: number): Promise<UploadAttempt[]> {
    return this.attempts.filter((a) => a.invoiceId === invoiceId);
  }

  /** The Store the app sees; a method not written above fails with "is not a function" if called. */
  // The dashboard's reads, plainly over the arrays (the SQL versions are tested in the store suite).
  async queryGrid(q: GridQuery): Promise<GridPage> {
    const rows = this.invoices
      .filter((i) => i.companyId === q.companyId && (q.status === undefined || q.status.includes(i.status)))
      .sort((a, b) => (q.dir === 'asc' ? a.id - b.id : b.id - a.id));
    const from = q.after ? rows.findIndex((i) => i.id === q.after!.id) + 1 : 0;
    const items = rows.slice(from, from + q.limit);
    const last = items.at(-1);
    return { items, next: from + q.limit < rows.length && last ? { value: last.id, id: last.id } : null };
  }
  async countGrid(f: GridFilter, cap: number): Promise<{ count: number; capped: boolean }> {
    const count = this.invoices.filter((i) => i.companyId === f.companyId).length;
    return { count: Math.min(count, cap), capped: count > cap };
  }
  async invoicesPerDay(companyId: number | undefined, since: Date): Promise<Array<{ day: string; status: InvoiceStatus; count: number }>> {
    const counts = new Map<string, number>();
    for (const i of this.invoices) {
      if ((companyId !== undefined && i.companyId !== companyId) || i.createdAt < since) continue;
      const k = `${i.createdAt.toISOString().slice(0, 10)}|${i.status}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return [...counts].map(([k, count]) => ({ day: k.split('|')[0]!, status: k.split('|')[1] as InvoiceStatus, count }));
  }
  async callsPerMinute(): Promise<Array<{ minute: Date; count: number }>> {
    return [];
  }
  async listEventsSince(afterId: number, limit: number): Promise<FeedEvent[]> {
    return this.events
      .filter((e) => e.id > afterId)
      .slice(0, limit)
      .map((e) => ({ ...e, companyId: this.invoices.find((i) => i.id === e.invoiceId)?.companyId ?? 0 }));
  }
  async lastEventId(): Promise<number> {
    return this.events.at(-1)?.id ?? 0;
  }

  asStore(): Store {
    return this as unknown as Store;
  }
}
