/**
 * Which months of a company's export tree are taken (WMEfact asks the operator to pick the
 * month to send). Configuration gives the default (`companies[].months`); a person changes it
 * while Efact runs (`PUT /api/v1/companies/{cif}/months`, `efact months`, `efact serve --months`),
 * and that choice is kept in the store (engine state `erp-months:<cif>`) until reset to the
 * configuration's.
 */
import { EfactError } from '../../domain/errors.js';
import type { Store } from '../../ports/store.js';
import { isMonth } from '../intake/export-tree.js';

const key = (cif: string): string => `erp-months:${cif}`;

export type MonthsSource = 'person' | 'config' | 'all';

export interface MonthsView {
  /** Selected months, sorted; empty: every month. */
  months: string[];
  source: MonthsSource;
}

/** Checks and normalises a month list: `yyyy-mm`, sorted, without repeats. */
export function parseMonths(values: readonly string[]): string[] {
  const bad = values.filter((m) => !isMonth(m.trim()));
  if (bad.length > 0) {
    throw new EfactError('INVALID_REQUEST', `months must be written yyyy-mm (e.g. 2026-11); refused: ${bad.join(', ')}`, { details: { refused: bad } });
  }
  return [...new Set(values.map((m) => m.trim()))].sort();
}

/** The person's choice as stored: a list, or null for "back to the configuration". */
export async function readStoredMonths(store: Store, cif: string): Promise<string[] | null> {
  const raw = await store.getState(key(cif));
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? parseMonths(v.map(String)) : null;
  } catch {
    return null;
  }
}

export async function writeStoredMonths(store: Store, cif: string, months: readonly string[] | null): Promise<void> {
  await store.setState(key(cif), months === null ? 'null' : JSON.stringify(parseMonths(months)));
}

export class ErpMonths {
  private readonly stored = new Map<string, string[] | null>();

  constructor(
    private readonly store: Store,
    /** Per CIF, the configuration's months (a company not listed there: every month unless a person chose). */
    private readonly configured: ReadonlyMap<string, readonly string[] | undefined>,
  ) {}

  /**
   * Reads the persisted choices (at start, and now and then: another process may have changed
   * them) of these companies — by default the configured ones.
   */
  async reload(cifs: Iterable<string> = this.configured.keys()): Promise<void> {
    for (const cif of cifs) this.stored.set(cif, await readStoredMonths(this.store, cif));
  }

  /** A company no longer followed (removed, no export folder). */
  forget(cif: string): void {
    this.stored.delete(cif);
  }

  view(cif: string): MonthsView {
    const person = this.stored.get(cif) ?? null;
    if (person !== null) return { months: person, source: person.length > 0 ? 'person' : 'all' };
    const config = this.configured.get(cif);
    if (config && config.length > 0) return { months: [...config].sort(), source: 'config' };
    return { months: [], source: 'all' };
  }

  /** The selection for the folder intake: null when every month is taken. */
  selected(cif: string): string[] | null {
    const v = this.view(cif).months;
    return v.length > 0 ? v : null;
  }

  /** A person's choice: a list (empty: all months), or null to go back to the configuration. */
  async set(cif: string, months: readonly string[] | null): Promise<MonthsView> {
    const normalised = months === null ? null : parseMonths(months);
    await writeStoredMonths(this.store, cif, normalised);
    this.stored.set(cif, normalised);
    return this.view(cif);
  }
}
