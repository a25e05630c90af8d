/**
 * An in-memory Store with just what the API routes call; the rest is missing, so a route that starts
 * needing more is noticed at once. Intake follows the real contract: duplicate by content hash,
 * supersede a nok / invalid / needs-attention / queued file of the same series and number,
 * conflict with one already at the platform.
 */
import type { Company } from '../../domain/company.js';
import type { Invoice } from '../../domain/invoice.js';
import { SUPERSEDABLE_STATUSES } from '../../domain/invoice-status.js';
import type {
  ChangeCause,
  IntakeResult,
  InvoiceEvent,
  InvoiceQuery,
  NewInvoice,
  StatusCount,
  Store,
  UploadAttempt,
} from '../../ports/store.js';

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

  async listCompanies(): Promise<Company[]> {
    return [...this.companies];
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

  async listEvents(invoiceId: number): Promise<InvoiceEvent[]> {
    return this.events.filter((e) => e.invoiceId === invoiceId);
  }
  async listAttempts(invoiceId: number): Promise<UploadAttempt[]> {
    return this.attempts.filter((a) => a.invoiceId === invoiceId);
  }

  /** The Store the app sees; a method not written above fails with "is not a function" if called. */
  asStore(): Store {
    return this as unknown as Store;
  }
}
