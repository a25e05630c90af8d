/**
 * Adding, changing and removing companies at run time (`efact company ...` and the API), over
 * the Store. The running engine picks changes up by itself: it rescans companies every 5 s.
 *
 * Precedence: a company listed in the configuration file is rewritten from the file at every
 * start, so changing or removing it here would be silently undone; such companies are refused
 * here with a message pointing at the file. Companies added here live in the store only.
 */
import type { Company } from '../domain/company.js';
import { ACTIVE_STATUSES, type InvoiceStatus } from '../domain/invoice-status.js';
import { EfactError } from '../domain/errors.js';
import { checkCif, checkCompanyPatch, checkNewCompany, type NewCompanyInput } from '../domain/company-fields.js';
import { normalizeCif } from '../domain/cif.js';
import type { Store } from '../ports/store.js';

/** Invoices not yet final: removing their company needs an explicit force. */
export const OPEN_STATUSES: readonly InvoiceStatus[] = [...ACTIVE_STATUSES, 'needs-attention'];

export type NewCompanyRequest = NewCompanyInput;

export type CompanyChangeRequest = Omit<Partial<NewCompanyRequest>, 'cif'>;

export interface RemovalResult {
  company: Company;
  /** Invoices that were still open and are left as they are. */
  openInvoices: number;
}

export class CompanyAdmin {
  constructor(
    private readonly store: Store,
    /** CIFs the configuration file lists (and the demo company): managed by the file. */
    private readonly configuredCifs: ReadonlySet<string> = new Set(),
    private readonly now: () => Date = () => new Date(),
  ) {}

  isConfigured(cif: string): boolean {
    return this.configuredCifs.has(cif);
  }

  /** The company with this CIF, not removed; UNKNOWN_COMPANY otherwise. */
  async find(cifInput: string): Promise<Company> {
    const cif = normalizeCif(cifInput);
    const company = cif === null ? null : await this.store.getCompanyByCif(cif);
    if (!company || company.removedAt) {
      throw new EfactError('UNKNOWN_COMPANY', `no company with CIF ${cifInput} is configured`, { details: { cif: cifInput } });
    }
    return company;
  }

  async list(options: { includeRemoved?: boolean } = {}): Promise<Company[]> {
    return this.store.listCompanies(options);
  }

  async add(request: NewCompanyRequest): Promise<Company> {
    const fields = checkNewCompany(request);
    const existing = await this.store.getCompanyByCif(fields.cif);
    if (existing && !existing.removedAt) {
      throw new EfactError('CONFLICT', `company ${fields.cif} (${existing.shortName}) already exists; change it with update`, {
        details: { cif: fields.cif },
      });
    }
    await this.checkShortNameFree(fields.shortName, existing?.id ?? null);
    // A removed company added again comes back with its invoices and archive.
    return this.store.upsertCompany(fields);
  }

  async update(cifInput: string, request: CompanyChangeRequest): Promise<Company> {
    const company = await this.find(checkCif(cifInput));
    this.refuseConfigured(company, 'changed');
    const patch = checkCompanyPatch(request);
    if (patch.shortName !== undefined) await this.checkShortNameFree(patch.shortName, company.id);
    if (patch.environment !== undefined && patch.environment !== company.environment) {
      const invoices = await this.countInvoices(company.id);
      if (invoices > 0) {
        throw new EfactError(
          'WRONG_ENVIRONMENT',
          `${company.shortName} already has ${invoices} invoices in ${company.environment}; the environment can change only before the first invoice (to move test invoices to production use "efact promote")`,
          { details: { cif: company.cif, environment: company.environment, invoices } },
        );
      }
    }
    return this.store.updateCompany(company.id, patch);
  }

  /**
   * Marks the company removed: the engine stops working it, intake refuses it, its invoices and
   * archive stay. With open invoices it needs `force`.
   */
  async remove(cifInput: string, options: { force?: boolean } = {}): Promise<RemovalResult> {
    const company = await this.find(checkCif(cifInput));
    this.refuseConfigured(company, 'removed');
    const openInvoices = await this.countInvoices(company.id, OPEN_STATUSES);
    if (openInvoices > 0 && options.force !== true) {
      throw new EfactError(
        'CONFLICT',
        `${company.shortName} (CIF ${company.cif}) still has ${openInvoices} open invoices (${OPEN_STATUSES.join(', ')}); removing it stops them where they are. Repeat with force to remove it anyway (its invoices and archive are kept)`,
        { details: { cif: company.cif, openInvoices, force: 'required' } },
      );
    }
    const removed = await this.store.setCompanyRemoved(company.id, this.now());
    return { company: removed, openInvoices };
  }

  private refuseConfigured(company: Company, what: string): void {
    if (this.isConfigured(company.cif)) {
      throw new EfactError(
        'CONFLICT',
        `${company.shortName} (CIF ${company.cif}) is defined in the configuration file, which is applied again at every start; it can only be ${what} there`,
        { details: { cif: company.cif, managedBy: 'config' } },
      );
    }
  }

  private async checkShortNameFree(shortName: string, ownId: number | null): Promise<void> {
    const wanted = shortName.toLowerCase();
    const other = (await this.store.listCompanies()).find((c) => c.shortName.toLowerCase() === wanted && c.id !== ownId);
    if (other) {
      throw new EfactError('CONFLICT', `shortName: ${shortName} is already used by company ${other.cif}; short names must be unique (case ignored)`, {
        details: { field: 'shortName', cif: other.cif },
      });
    }
  }

  private async countInvoices(companyId: number, statuses?: readonly InvoiceStatus[]): Promise<number> {
    const counts = await this.store.countByStatus(companyId);
    return counts.filter((c) => statuses === undefined || statuses.includes(c.status)).reduce((n, c) => n + c.count, 0);
  }
}
