/** Builds the API over the fakes, with one company, for the route tests. */
import type { FastifyInstance } from 'fastify';
import type { Company } from '../../domain/company.js';
import { makeCif } from '../../domain/cif.js';
import { IntakeRejections } from '../../engine/intake/intake-rejections.js';
import { IntakeService } from '../../engine/intake/intake-service.js';
import { buildApiApp } from '../app.js';
import type { ApiDeps } from '../deps.js';
import { FakeStore } from './fake-store.js';
import { FakeArchive, FakeEngine } from './fakes.js';
import type { Role } from '../../domain/access.js';
import { generateApiKey } from '../../server/api-keys.js';
import { CompanyAdmin } from '../../server/company-admin.js';
import { DEFAULT_ACCESS, type AccessOptions } from '../access/access-control.js';
import type { ErpFolders } from '../../server/erp-folders.js';
import { MemoryVault } from '../../secrets/testing/memory-vault.js';

export const COMPANY_CIF = makeCif('1234567');
export const OTHER_CIF = makeCif('7654321');

export interface Harness {
  app: FastifyInstance;
  store: FakeStore;
  engine: FakeEngine;
  archive: FakeArchive;
  rejections: IntakeRejections;
  company: Company;
  vault: MemoryVault;
}

export interface ApiOptions {
  bodyLimitBytes?: number;
  access?: Partial<AccessOptions>;
  /** CIFs treated as listed in the configuration file. */
  configuredCifs?: string[];
  servers?: ApiDeps['servers'];
  trustProxy?: ApiDeps['trustProxy'];
}

export async function makeApi(opts: ApiOptions = {}): Promise<Harness> {
  const store = new FakeStore();
  const company = store.addCompany({ cif: COMPANY_CIF, shortName: 'ACME', name: 'Acme Distribution SRL' });
  const engine = new FakeEngine();
  const archive = new FakeArchive();
  const intake = new IntakeService(store.asStore(), 'api-test');
  const rejections = new IntakeRejections();
  const vault = new MemoryVault();
  const app = await buildApiApp({
    store: store.asStore(),
    intake,
    engine,
    archive,
    rejections,
    version: '9.9.9-test',
    companies: new CompanyAdmin(store.asStore(), new Set(opts.configuredCifs ?? [])),
    access: { ...DEFAULT_ACCESS, ...opts.access },
    vault,
    ...(opts.bodyLimitBytes !== undefined ? { bodyLimitBytes: opts.bodyLimitBytes } : {}),
    ...(opts.servers !== undefined ? { servers: opts.servers } : {}),
    ...(opts.trustProxy !== undefined ? { trustProxy: opts.trustProxy } : {}),
    // Stand-ins for the dashboard's and ERP folders' collaborators, so every route answers.
    pdf: { toPdf: async () => new TextEncoder().encode('%PDF-1.4 test') },
    erpFolders: {
      async view(cif: string) {
        const c = store.companies.find((x) => x.cif === cif);
        return c ? { cif, exportFolder: `/erp/${cif}`, writeBack: true, months: { months: [], source: 'config' }, writeBackErrorCount: 0, writeBackErrors: [] } : null;
      },
    } as unknown as ErpFolders,
  });
  return { app, store, engine, archive, rejections, company, vault };
}

/** A minimal UBL invoice: enough for intake's metadata, not a valid CIUS-RO document. */
export function ublInvoice(opts: { id?: string; supplierCif?: string; buyerCif?: string; padding?: number } = {}): string {
  const pad = opts.padding ? `<!--${'x'.repeat(opts.padding)}-->` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.1</cbc:CustomizationID>
  <cbc:ID>${opts.id ?? 'FCT 123'}</cbc:ID>
  <cbc:IssueDate>2025-03-01</cbc:IssueDate>
  <cac:AccountingSupplierParty><cac:Party><cac:PartyTaxScheme><cbc:CompanyID>RO${opts.supplierCif ?? COMPANY_CIF}</cbc:CompanyID></cac:PartyTaxScheme></cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party><cac:PartyLegalEntity><cbc:CompanyID>${opts.buyerCif ?? OTHER_CIF}</cbc:CompanyID></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>
  ${pad}
</Invoice>`;
}

export const XML_HEADERS = { 'content-type': 'application/xml' } as const;

/** The error body every failing route returns. */
export interface ErrorBody {
  error: { code: string; kind: string; message: string; details?: Record<string, unknown> };
}

/** Creates an API key in the fake store and returns the secret, as `efact apikey create` prints it. */
export async function addApiKey(store: FakeStore, name: string, role: Role, companies: string[] | null = null): Promise<string> {
  const { key, hash, prefix } = generateApiKey();
  await store.createApiKey({ name, role, companies, hash, prefix });
  return key;
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}
