import { createHash } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import { ManualClock } from '../../clock/manual-clock.js';
import type { Company, Environment } from '../../../domain/company.js';
import type { InvoiceStatus } from '../../../domain/invoice-status.js';
import type { Invoice } from '../../../domain/invoice.js';
import type { ChangeCause, NewInvoice, Store } from '../../../ports/store.js';

/** What a store factory hands the suite: a fresh, migrated, empty store. */
export interface StoreUnderTest {
  store: Store;
  /** Opens the same database through a new connection (another process, or after a restart). */
  reopen?: () => Promise<Store>;
  /** Removes what the store left behind (temp files, schemas); called after `store.close()`. */
  cleanup?: () => Promise<void>;
}

export type StoreFactory = (options: { clock: ManualClock }) => Promise<StoreUnderTest>;

export interface Harness {
  store: Store;
  clock: ManualClock;
  sut: StoreUnderTest;
  /** Extra handles opened by a test; closed after it. */
  extra: Store[];
}

/**
 * A fresh store per test, closed (and cleaned up) after it. Each test's store is its own: when
 * opening one fails or outlives the hook's time limit, the next steps must not fall back on the
 * previous test's (closed, dropped) store, and a late-arriving store is still closed and removed
 * rather than left running into the following tests.
 */
export function useStore(factory: StoreFactory): Harness {
  const h = { extra: [] } as unknown as Harness;
  let opening: Promise<StoreUnderTest> | null = null;
  beforeEach(async () => {
    h.extra = [];
    h.sut = undefined as unknown as StoreUnderTest;
    h.store = undefined as unknown as Store;
    h.clock = new ManualClock(Date.UTC(2026, 0, 15, 9, 0, 0));
    opening = factory({ clock: h.clock });
    h.sut = await opening;
    h.store = h.sut.store;
  });
  afterEach(async () => {
    const extra = h.extra.splice(0);
    const pending = opening;
    opening = null;
    const current = h.store;
    const sut = h.sut;
    for (const s of extra) await s.close();
    // A test may have swapped in a reopened handle; closing twice is harmless.
    if (current && current !== sut?.store) await current.close();
    if (sut) {
      await sut.store.close();
      await sut.cleanup?.();
    } else {
      // Opening outlived beforeEach's limit: close and remove the store whenever it arrives,
      // without holding up the next test.
      void pending
        ?.then(async (late) => {
          await late.store.close();
          await late.cleanup?.();
        })
        .catch(() => undefined);
    }
  });
  return h;
}

export function cause(name = 'test', details?: Record<string, unknown>): ChangeCause {
  return details === undefined ? { instance: 'test-1', cause: name } : { instance: 'test-1', cause: name, details };
}

export async function addCompany(store: Store, cif = '1234567', environment: Environment = 'test'): Promise<Company> {
  return store.upsertCompany({ cif, shortName: `C${cif}`, name: `Company ${cif} SRL`, environment });
}

let sequence = 0;

export interface InvoiceSpec {
  series?: string;
  number?: string;
  /** The full cbc:ID; defaults to series + number. */
  invoiceId?: string;
  environment?: Environment;
  /** Exact XML text; by default unique per call, so hashes differ. */
  xml?: string;
}

export function newInvoice(companyId: number, spec: InvoiceSpec = {}): NewInvoice {
  sequence += 1;
  const series = spec.series ?? 'F';
  const number = spec.number ?? String(sequence);
  const invoiceId = spec.invoiceId ?? `${series}${number}`;
  const text = spec.xml ?? `<Invoice><cbc:ID>${invoiceId}</cbc:ID><!-- ${sequence} --></Invoice>`;
  const xml = new TextEncoder().encode(text);
  return {
    companyId,
    environment: spec.environment ?? 'test',
    metadata: {
      standard: 'UBL',
      series,
      number,
      invoiceId,
      issueDate: '2026-01-15',
      supplierCif: '1234567',
      buyerCif: '7654321',
      customizationId: 'urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.1',
      currency: 'RON',
      payableAmount: '119.00',
    },
    flags: { extern: false },
    b2c: false,
    xml,
    contentHash: createHash('sha256').update(xml).digest('hex'),
    origin: { channel: 'folder', sourcePath: `/export/${invoiceId}.xml`, computer: 'PC1', user: 'ana', branch: 'Iasi' },
  };
}

/** Intake that must create. */
export async function createInvoice(store: Store, companyId: number, spec: InvoiceSpec = {}): Promise<Invoice> {
  const result = await store.intake(newInvoice(companyId, spec), cause('intake'));
  if (result.kind !== 'created') throw new Error(`expected created, got ${result.kind}`);
  return result.invoice;
}

/** Legal paths from queued to each state, as the engine would walk them. */
const PATHS: Record<InvoiceStatus, InvoiceStatus[]> = {
  queued: [],
  uploading: ['uploading'],
  processing: ['uploading', 'processing'],
  ok: ['uploading', 'processing', 'ok'],
  nok: ['uploading', 'processing', 'nok'],
  downloaded: ['uploading', 'processing', 'ok', 'downloaded'],
  invalid: ['invalid'],
  'needs-attention': ['uploading', 'needs-attention'],
  superseded: ['superseded'],
};

/** Walks a queued invoice to `target` through legal transitions, filling what each step learns. */
export async function driveTo(store: Store, invoice: Invoice, target: InvoiceStatus): Promise<Invoice> {
  let current = invoice;
  for (const to of PATHS[target]) {
    const patch =
      to === 'processing'
        ? { uploadId: `up-${current.id}`, uploadedAt: new Date(Date.UTC(2026, 0, 15, 9, 1)), addPlatformCalls: 1 }
        : to === 'ok' || to === 'nok'
          ? {
              downloadId: `dl-${current.id}`,
              resolvedAt: new Date(Date.UTC(2026, 0, 15, 9, 2)),
              messages: to === 'nok' ? [{ text: 'E: cbc:ID lipsa', source: 'answer' as const }] : [],
              addPlatformCalls: 1,
            }
          : to === 'downloaded'
            ? { archivePath: `1234567/2026-01/dl-${current.id}.zip`, downloadedAt: new Date(Date.UTC(2026, 0, 15, 9, 3)) }
            : {};
    const [next] = await store.transition([{ invoiceId: current.id, from: current.status, to, patch, cause: cause(`drive:${to}`) }]);
    if (next === null || next === undefined) throw new Error(`could not move invoice ${current.id} to ${to}`);
    current = next;
  }
  return current;
}
